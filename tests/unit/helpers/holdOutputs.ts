/**
 * For outputs.test.ts: opens outputs for the targets given (a target ending in "/" is a new
 * folder), writes part of each, says "ready" and waits to be killed, as a long `richhf
 * consolidate` or `pack --compare` run would be when interrupted.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { OutputFolder, Outputs } from '../../../src/cli/outputs.ts';

const targets = process.argv.slice(2);
const outputs = await Outputs.open(targets.filter((t) => !t.endsWith('/')));
for (const t of targets) {
  if (t.endsWith('/')) writeFileSync(path.join((await OutputFolder.create(t.slice(0, -1))).temp, 'a.png'), 'partial');
  else await outputs.file(t).write('partial');
}
process.stdout.write('ready\n');
process.stdin.resume();
