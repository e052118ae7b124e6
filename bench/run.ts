/**
 * `npm run bench`: runs every bench/*.bench.ts in its own process, one after the other (so
 * they do not compete for the two cores), and prints their Markdown lines. Benchmarks are
 * measurements for the README, not pass/fail tests. `npm run bench -- heatmap` runs only the
 * files whose name contains "heatmap".
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const dir = path.dirname(new URL(import.meta.url).pathname);
const filter = process.argv[2];
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts') && (!filter || f.includes(filter)))
  .sort();

const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
console.log(
  `# richhf-studio benchmarks\n\nMachine: ${os.cpus().length} x ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}\n`,
);
let failed = 0;
for (const f of files) {
  console.log(`## ${f.replace('.bench.ts', '')}\n`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(dir, f)], { stdio: 'inherit' });
  if (r.status !== 0) {
    failed++;
    console.log(`(${f} failed with exit code ${r.status})`);
  }
  console.log('');
}
process.exitCode = failed ? 1 : 0;
