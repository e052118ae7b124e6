// `npm run build:node`, also run by both test runners (tests/buildNode.ts): compiles the
// Node-side code into build/ (tsconfig.build.json, incremental: a few seconds when nothing
// changed). An incremental build that fails is run once more from nothing (build/.tsbuildinfo
// removed) before the failure is reported: after a checkout that moves types between files,
// tsc's incremental state can report errors the sources no longer have (seen going from
// 77ac70a to 491f5f4: ten errors in src/server/servedPack.ts, none in a clean build).
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const build = (stdio) => spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio });

let r = build('pipe');
if (r.status !== 0) {
  rmSync(path.join(root, 'build', '.tsbuildinfo'), { force: true });
  r = build('inherit');
}
process.exit(r.status ?? 1);
