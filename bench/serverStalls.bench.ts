/**
 * Event-loop stalls of `richhf serve` on a big pack (100,000 items, K = 3, SQLite), measured
 * from outside: a probe process asks GET /api/v1/health back to back, and the slowest answer
 * while something runs is how long every other request waited. Measured: 500 progress streams
 * opened at once (and one change sent to all of them), GET /pack, GET /export/dataset, beside
 * an idle window. BENCH_STALL_ITEMS=N for another pack size; BENCH_STALL_SUBMISSIONS for the
 * work stored first.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomRecord, runAnnotator, type Ack, type NextItem } from '../scripts/annotatorLoad.ts';
import { makeLargePack, seededRandom } from '../scripts/largePack.ts';
import { httpCall, inviteAll, LEAD, ms, startServer, stopServer } from './serverProcess.ts';

const ITEMS = Number(process.env.BENCH_STALL_ITEMS ?? 100_000);
const SUBMISSIONS = Number(process.env.BENCH_STALL_SUBMISSIONS ?? 30_000);
const STREAMS = 500;
const ANNOTATORS = 100;

interface Window {
  readonly n: number;
  readonly maxMs: number;
  readonly p99Ms: number;
}

/** The probe's latencies since the last call, once the request running now has ended too. */
async function probeWindow(probe: ChildProcess): Promise<Window> {
  await new Promise((resolve) => setTimeout(resolve, 100));
  return new Promise((resolve) => {
    probe.once('message', (m) => resolve(m as Window));
    probe.send('window');
  });
}

/** Opens one progress stream; resolves `first` with the first event, then calls onEvent for each. */
function openStream(url: string, agent: http.Agent, onEvent: (data: string) => void): { first: Promise<void>; close: () => void } {
  let req!: http.ClientRequest;
  const first = new Promise<void>((resolve, reject) => {
    let seen = false;
    req = http.get(`${url}/api/v1/progress/stream`, { agent, headers: { Authorization: `Bearer ${LEAD}` } }, (res) => {
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        buffer += d;
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block.split('\n').find((l) => l.startsWith('data: '));
          if (!data) continue;
          onEvent(data.slice(6));
          if (!seen) {
            seen = true;
            resolve();
          }
        }
      });
      res.on('error', () => undefined);
    });
    req.on('error', (e) => (seen ? undefined : reject(e)));
  });
  return { first, close: () => req.destroy() };
}

/** Downloads an answer without keeping it; resolves with its size in bytes. */
function download(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: { Authorization: `Bearer ${LEAD}` } }, (res) => {
        let bytes = 0;
        res.on('data', (d: Buffer) => (bytes += d.length));
        res.on('end', () => resolve(bytes));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

const loadBefore = os.loadavg()[0]!;
const dir = mkdtempSync(path.join(os.tmpdir(), 'richhf-stall-bench-'));
const rows: string[] = [];
let probe: ChildProcess | undefined;
try {
  const pack = makeLargePack(ITEMS, 11, (i) => ({ image: `images/${String(i + 1).padStart(6, '0')}.png`, width: 512, height: 512 }), 'stall-bench');
  const packFile = path.join(dir, 'pack.json');
  writeFileSync(packFile, JSON.stringify(pack));
  const server = await startServer(packFile, path.join(dir, 'bench.db'));
  try {
    const names = Array.from({ length: ANNOTATORS }, (_, i) => `annotator-${String(i).padStart(3, '0')}`);
    const tokens = await inviteAll(server.url, names);
    const acks: Ack[] = [];
    const results = await Promise.all(
      tokens.map((t, i) =>
        runAnnotator({ baseUrl: server.url, annotator: t.annotator, token: t.token, seed: i + 1, acks, http: httpCall, stop: () => acks.length >= SUBMISSIONS }),
      ),
    );
    const failed = results.find((r) => r.end === 'error');
    if (failed) throw new Error(`a simulated annotator failed: ${String(failed.error)}`);

    probe = fork(path.join(import.meta.dirname, 'healthProbe.mjs'), [server.url]);
    const row = (what: string, seconds: number | undefined, w: Window) =>
      rows.push(`| ${what} | ${seconds === undefined ? '' : `${seconds.toFixed(2)} s`} | **${ms(w.maxMs)}** | ${ms(w.p99Ms)} | ${w.n} |`);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    row('idle (2 s)', undefined, await probeWindow(probe));

    // 500 progress streams opened at once; then one change, which every stream must receive.
    // From ten loopback addresses, as 500 dashboards come from many machines (the server holds
    // at most 256 connections per address that have not sent their request header yet).
    const agents = Array.from({ length: 10 }, (_, i) => new http.Agent({ keepAlive: false, maxSockets: STREAMS, localAddress: `127.0.0.${i + 1}` }));
    const latest: string[] = Array.from({ length: STREAMS }, () => '');
    let t = performance.now();
    const streams = Array.from({ length: STREAMS }, (_, i) => openStream(server.url, agents[i % agents.length]!, (data) => (latest[i] = data)));
    await Promise.all(streams.map((s) => s.first));
    row(`${STREAMS} progress streams opened at once, until each has its first event`, (performance.now() - t) / 1000, await probeWindow(probe));

    const submissionsNow = (data: string) => (data === '' ? -1 : (JSON.parse(data) as { submissions: number }).submissions);
    const before = submissionsNow(latest[0]!);
    const annotator = tokens[0]!;
    t = performance.now();
    const next = await httpCall('GET', `${server.url}/api/v1/next`, annotator.token);
    const { item } = JSON.parse(next.text) as { item: NextItem };
    const rand = seededRandom(99);
    const sent = await httpCall('POST', `${server.url}/api/v1/submissions`, annotator.token, JSON.stringify({ ...randomRecord(item, rand), clientId: randomUUID() }));
    if (sent.status !== 200) throw new Error(`submission: ${sent.status} ${sent.text}`);
    await new Promise<void>((resolve) => {
      const poll = () => (latest.every((d) => submissionsNow(d) > before) ? resolve() : setTimeout(poll, 5));
      poll();
    });
    row(`one submission, until all ${STREAMS} streams have the new progress`, (performance.now() - t) / 1000, await probeWindow(probe));
    for (const s of streams) s.close();
    await new Promise((resolve) => setTimeout(resolve, 500));
    await probeWindow(probe);

    t = performance.now();
    const packBytes = await download(`${server.url}/api/v1/pack`);
    row(`GET /pack (${(packBytes / 2 ** 20).toFixed(1)} MB)`, (performance.now() - t) / 1000, await probeWindow(probe));

    t = performance.now();
    const datasetBytes = await download(`${server.url}/api/v1/export/dataset`);
    row(`GET /export/dataset (${(datasetBytes / 2 ** 20).toFixed(1)} MB)`, (performance.now() - t) / 1000, await probeWindow(probe));
  } finally {
    probe?.send('stop');
    await stopServer(server);
  }
  console.log(
    `\`richhf serve\` (SQLite) with a ${ITEMS.toLocaleString('en-US')}-item pack (K = 3) and ${SUBMISSIONS.toLocaleString('en-US')} submissions from ${ANNOTATORS} annotators. A probe process asks \`GET /api/v1/health\` back to back (5 ms apart); its slowest answer while something runs is the longest stall of the server's event loop (every request waits that long). 1-minute load average before: ${loadBefore.toFixed(1)}.\n`,
  );
  console.log('| while | took | /health slowest (the stall) | /health p99 | probes |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const r of rows) console.log(r);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
