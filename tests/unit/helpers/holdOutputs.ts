/**
 * For outputs.test.ts: opens outputs for the targets given, writes part of each, says "ready"
 * and waits to be killed, as a long `richhf consolidate` run would be when interrupted.
 */
import { Outputs } from '../../../src/cli/outputs.ts';

const targets = process.argv.slice(2);
const outputs = await Outputs.open(targets);
for (const t of targets) await outputs.file(t).write('partial');
process.stdout.write('ready\n');
process.stdin.resume();
