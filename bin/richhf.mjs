#!/usr/bin/env node
// The `richhf` command line: plain JavaScript compiled from src/ into build/ by
// `npm run build:node` (the `prepare` step of `npm ci` / `npm install`), so neither the command
// nor its worker threads load a TypeScript compiler at start-up.
let main;
try {
  ({ main } = await import('../build/cli/main.js'));
} catch (e) {
  if (e?.code !== 'ERR_MODULE_NOT_FOUND' || !String(e.message).includes('build/cli/main.js')) throw e;
  process.stderr.write(`richhf: the command line is not built yet; run \`npm run build:node\` in ${new URL('..', import.meta.url).pathname}\n`);
  process.exit(1);
}
process.exitCode = await main(process.argv.slice(2));
