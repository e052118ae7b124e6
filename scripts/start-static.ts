/**
 * `npm run start:static`: the app alone, without a server (the file-based workflow and the
 * offline demo), on Vite's development server. The port is `--port N` (`npm run start:static --
 * --port 5174`), else the PORT variable, else 5173; `--host HOST` opens it to other machines
 * (a phone on the same network: `--host 0.0.0.0`). It refuses a port in use rather than picking
 * another one, so the printed address is always the one asked for.
 *
 * The server runs in this process, which is npm's own child (package.json runs it with `exec`):
 * SIGTERM and SIGINT sent to npm stop it.
 */
import { parseArgs } from 'node:util';
import { createServer } from 'vite';

function usage(message: string): never {
  console.error(`npm run start:static: ${message}\nusage: npm run start:static [-- --port N] [--host HOST]   (or PORT=N npm run start:static)`);
  process.exit(2);
}

let values: { port?: string; host?: string };
try {
  ({ values } = parseArgs({ args: process.argv.slice(2), options: { port: { type: 'string' }, host: { type: 'string' } } }));
} catch (e) {
  usage((e as Error).message);
}
const portText = values.port ?? process.env.PORT ?? '5173';
const port = Number(portText);
if (!/^\d+$/.test(portText) || port < 1 || port > 65535) usage(`the port must be a number from 1 to 65535, got "${portText}"`);

const server = await createServer({ server: { port, strictPort: true, ...(values.host !== undefined ? { host: values.host } : {}) } });
try {
  await server.listen();
} catch (e) {
  console.error(`npm run start:static: ${(e as Error).message}`);
  process.exit(1);
}
server.printUrls();
let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    // Vite's close waits for work in flight (a first dependency scan); a stop must not wait for it long.
    setTimeout(() => process.exit(0), 5000).unref();
    void server.close().then(
      () => process.exit(0),
      (e: unknown) => {
        console.error(`npm run start:static: ${(e as Error).message}`);
        process.exit(1);
      },
    );
  });
}
