/**
 * `GET /api/v1/quality` on a 20,000-item pack (the simulated crowd of
 * tests/helpers/simulatedCrowd.ts: K = 3, 10% gold, 60 annotators, about 64,000 records) served
 * from SQLite: the answer measured from the records (after a change), and again from the cache
 * (nothing changed), beside `GET /export/dataset` on the same records (the reference: the other
 * answer that reads every record), and the longest stall of the server's event loop meanwhile
 * (measuring runs on a worker thread). Records are written straight into the database, as the server
 * stores them. Best of 3 runs each. `QUALITY_ITEMS=1000` for a small case.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { sql } from 'kysely';
import { startServer } from '../src/server/server.ts';
import { fileCrowd } from '../tests/helpers/simulatedCrowd.ts';

const items = Number(process.env.QUALITY_ITEMS ?? 20_000);
const LEAD = 'bench-lead-token-0123456789abcdef';
const load = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(', ');

console.log(`load average before: ${load()}\n`);
const crowd = fileCrowd({ seed: 1, items, careful: 50, random: 6, constant: 4 });
const dir = mkdtempSync(path.join(os.tmpdir(), 'richhf-bench-quality-'));
const packFile = path.join(dir, 'pack.json');
writeFileSync(packFile, JSON.stringify(crowd.pack));
const server = await startServer({ packFile, db: path.join(dir, 'bench.db'), host: '127.0.0.1', port: 0, leaseMs: 30 * 60_000, leadTokenFromEnv: LEAD, log: () => {} });
let records = 0;
await server.db.write(async (tx) => {
  for (const f of crowd.files) {
    const who = f.file.annotator;
    await sql`insert into annotators (id, created_at, submitted) values (${who}, 0, ${f.file.annotations.length})`.execute(tx);
    for (const r of f.file.annotations) {
      records++;
      await sql`insert into assignments (item_id, annotator, leased_at, expires_at, released, submitted) values (${r.itemId}, ${who}, 0, 0, 0, 1)`.execute(tx);
      await sql`insert into submissions (item_id, annotator, client_id, submitted_at_ms, active_ms, record, received_at)
        values (${r.itemId}, ${who}, ${`${who}/${r.itemId}`}, ${Date.parse(r.submittedAt)}, ${r.activeMs}, ${JSON.stringify(r)}, 0)`.execute(tx);
    }
  }
});

/** The longest stall of this process's event loop (the server's) during the last timed call, in ms. */
let stall = 0;
async function timed(pathname: string): Promise<number> {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const t0 = performance.now();
  const res = await fetch(`${server.url}/api/v1${pathname}`, { headers: { Authorization: `Bearer ${LEAD}` } });
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`${pathname}: ${res.status}`);
  const ms = performance.now() - t0;
  delay.disable();
  stall = delay.max / 1e6;
  return ms;
}
async function best(f: () => Promise<number>): Promise<number> {
  let min = Infinity;
  for (let k = 0; k < 3; k++) min = Math.min(min, await f());
  return min;
}

const dataset = await best(() => timed('/export/dataset'));
const datasetStall = stall;
let measuredStall = Infinity;
const measured = await best(async () => {
  server.context.quality.changed();
  const ms = await timed('/quality');
  measuredStall = Math.min(measuredStall, stall);
  return ms;
});
const cached = await best(() => timed('/quality'));
console.log(
  '| items | records | GET /export/dataset (reference) | GET /quality after a change | GET /quality, cached | longest event-loop stall: export / quality after a change |\n| --- | --- | --- | --- | --- | --- |',
);
console.log(
  `| ${items.toLocaleString('en')} | ${records.toLocaleString('en')} | ${dataset.toFixed(0)} ms | ${measured.toFixed(0)} ms | ${cached.toFixed(1)} ms | ${datasetStall.toFixed(0)} ms / ${measuredStall.toFixed(0)} ms |`,
);
await server.close();
console.log(`\nload average after: ${load()}`);
