/**
 * `npm run demo:compare:report`: the README's comparison table, made by `richhf compare` from
 * SIMULATED answers (scripts/demoCompareAnswers.ts: six made-up annotators, not people) on the
 * demo comparison pack and its key. Writes the annotation files and the report to a folder
 * (default: a new temp folder; the first argument names another) and prints the Markdown table.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main as richhf } from '../src/cli/main.ts';
import { joinKey } from '../src/core/compare/blind.ts';
import { comparisonKeySchema } from '../src/core/formats/comparisonKey.ts';
import { parseValue } from '../src/core/formats/located.ts';
import { taskPackSchema } from '../src/core/formats/taskpack.ts';
import { DEMO_ANNOTATORS, simulatedFiles } from './demoCompareAnswers.ts';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const packFile = path.join(root, 'public/demo-compare/pack.json');
const keyFile = path.join(root, 'fixtures/demo-compare/key.json');
const out = path.resolve(process.argv[2] ?? mkdtempSync(path.join(os.tmpdir(), 'richhf-simulated-')));
mkdirSync(out, { recursive: true });

const pack = parseValue(packFile, JSON.parse(readFileSync(packFile, 'utf8')), taskPackSchema);
const key = parseValue(keyFile, JSON.parse(readFileSync(keyFile, 'utf8')), comparisonKeySchema);
if (!pack.ok || !key.ok) throw new Error('the demo comparison pack or its key does not parse: npm run demo:compare');
const lead = joinKey(pack.value, key.value, { pack: packFile, key: keyFile });
if (!lead.ok) throw new Error('the key does not fit the demo comparison pack');
const files = simulatedFiles(lead.pack, 'finetuned').map((f, i) => {
  const file = path.join(out, `${DEMO_ANNOTATORS[i]}.json`);
  writeFileSync(file, `${JSON.stringify(f, null, 2)}\n`);
  return file;
});
console.error(`simulated answers (not people) in ${out}`);
process.exitCode = await richhf(['compare', '--pack', packFile, '--key', keyFile, '--out', path.join(out, 'report.json'), ...files]);
