/**
 * The collection server under load (`richhf serve` in its own process, as deployed): 100
 * simulated annotators (plain HTTP clients in this process) doing next + submit on a
 * 20,000-item pack with K = 3, first paced at 1,000 submissions/s offered (latency at that
 * load, measured after a warm-up), then with no think time (throughput), on SQLite until every
 * item is complete and (with RICHHF_TEST_POSTGRES_URL, a database created and dropped here)
 * on PostgreSQL for BENCH_SERVER_PG_MAX submissions. Then the lead's progress call (60,000 submissions on
 * SQLite), and the dataset export from the server against `richhf consolidate` on the server's
 * annotation files, in the same run. BENCH_SERVER_ITEMS=N for a smaller pack;
 * BENCH_SERVER_NODE_ARGS="--cpu-prof …" to profile the server.
 *
 * SERVER_BENCH_REFERENCE=path/to/bin/richhf.mjs (another build, e.g. main's) runs that build's
 * server beside this one on the same pack and the same simulated annotators, in
 * SERVER_BENCH_ROUNDS rounds (default 2) that alternate which build goes first; only the load
 * phases are measured for it (and for this build too when a reference is given).
 * BENCH_SERVER_PACED_ONLY=1 measures the paced phase alone.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { runAnnotator, type Ack } from '../scripts/annotatorLoad.ts';
import { makeLargePack } from '../scripts/largePack.ts';
import { BIN, cpuMs, httpCall, inviteAll, socketClient, lead, LEAD, ms, pct, PG_URL, postgresDb, root, startServer, stopServer, type DbRun } from './serverProcess.ts';

const ITEMS = Number(process.env.BENCH_SERVER_ITEMS ?? 20_000);
const ANNOTATORS = 100;
/** Paced phase: each annotator starts a next + submit every PACE_MS, i.e. 1,000 submissions/s offered by 100 annotators. */
const PACE_MS = 100;
const PACED_SECONDS = 10;
/** The paced phase runs this long before it is measured. */
const PACED_WARMUP_SECONDS = 2;
/** PostgreSQL's saturated phase stops here (the full 60,000 take minutes); SQLite runs to the end for the progress and export measurements. */
const PG_SATURATED_MAX = Number(process.env.BENCH_SERVER_PG_MAX ?? 20_000);

/**
 * The simulated annotators' client: HTTP/1.1 on plain sockets (socketClient), or with
 * BENCH_SERVER_CLIENT=http node:http's (the client until 2026-12-07: about 1.5 times the CPU).
 */
const CLIENT = process.env.BENCH_SERVER_CLIENT === 'http' ? httpCall : socketClient();

const REFERENCE = process.env.SERVER_BENCH_REFERENCE ? path.resolve(process.env.SERVER_BENCH_REFERENCE) : undefined;
const ROUNDS = REFERENCE ? Number(process.env.SERVER_BENCH_ROUNDS ?? 2) : 1;
const LOAD_ONLY = REFERENCE !== undefined || Boolean(process.env.BENCH_SERVER_LOAD_ONLY);
/** BENCH_SERVER_PACED_ONLY=1: the paced phase alone (the no-think-time phase takes minutes on a busy machine). */
const PACED_ONLY = Boolean(process.env.BENCH_SERVER_PACED_ONLY);
/** The builds measured: this one, and the reference beside it in every round (first in odd rounds). */
const builds = (round: number): { label: string; bin: string }[] => {
  const mine = { label: '', bin: BIN };
  if (!REFERENCE) return [mine];
  const both = [
    { label: ', this build', bin: BIN },
    { label: ', reference', bin: REFERENCE },
  ];
  return round % 2 === 0 ? both : both.reverse();
};

const dir = mkdtempSync(path.join(os.tmpdir(), 'richhf-server-bench-'));
const loadRows: string[] = [];
const notes: string[] = [];
try {
  const pack = makeLargePack(ITEMS, 7, (i) => ({ image: `images/${String(i + 1).padStart(6, '0')}.png`, width: 512, height: 512 }), 'server-bench');
  const packFile = path.join(dir, 'pack.json');
  writeFileSync(packFile, JSON.stringify(pack));
  const databases: DbRun['name'][] = PG_URL ? ['SQLite', 'PostgreSQL'] : ['SQLite'];
  if (!PG_URL) notes.push('PostgreSQL: not measured (set RICHHF_TEST_POSTGRES_URL).');

  const measured: { database: DbRun['name']; round: number; build: { label: string; bin: string } }[] = [];
  for (let round = 0; round < ROUNDS; round++) for (const build of builds(round)) for (const database of databases) measured.push({ database, round, build });
  for (const [i, { database, round, build }] of measured.entries()) {
    // A fresh database for each server: a new file on SQLite, a new database on PostgreSQL.
    const run: DbRun = database === 'SQLite' ? { name: 'SQLite', db: path.join(dir, `bench-${i}.db`), drop: async () => undefined } : (await postgresDb(`load${i}`))!;
    const server = await startServer(packFile, run.db, [], build.bin);
    try {
      const names = Array.from({ length: ANNOTATORS }, (_, i) => `annotator-${String(i).padStart(3, '0')}`);
      const tokens = await inviteAll(server.url, names);
      const acks: Ack[] = [];
      const phase = async (label: string, paced: boolean) => {
        const timings = { next: [] as number[], submit: [] as number[] };
        const loadBefore = os.loadavg()[0]!;
        const start = performance.now();
        // The paced phase measures from the end of its warm-up (the server's code still being
        // compiled, its caches empty): every figure of the row is taken from then on.
        const warmupMs = paced ? PACED_WARMUP_SECONDS * 1000 : 0;
        let measuring = !paced;
        let before = acks.length;
        let cpu0 = cpuMs(server.child.pid!);
        let clientCpu0 = process.cpuUsage();
        let t0 = start;
        const warmup = paced
          ? setTimeout(() => {
              measuring = true;
              before = acks.length;
              cpu0 = cpuMs(server.child.pid!);
              clientCpu0 = process.cpuUsage();
              t0 = performance.now();
            }, warmupMs)
          : undefined;
        const stop = paced ? () => performance.now() - start > warmupMs + PACED_SECONDS * 1000 : () => acks.length - before >= maxSaturated;
        const results = await Promise.all(
          tokens.map((t, i) =>
            runAnnotator({
              baseUrl: server.url,
              annotator: t.annotator,
              token: t.token,
              seed: i + 1 + before,
              acks,
              http: CLIENT,
              stop,
              ...(paced ? { paceMs: PACE_MS, phaseMs: (i * PACE_MS) / ANNOTATORS } : {}),
              onTiming: (call, v) => {
                if (measuring) timings[call].push(v);
              },
            }),
          ),
        );
        clearTimeout(warmup);
        const wall = (performance.now() - t0) / 1000;
        const serverCpu = (cpuMs(server.child.pid!) - cpu0) / 1000;
        const clientCpuUsage = process.cpuUsage(clientCpu0);
        const clientCpu = (clientCpuUsage.user + clientCpuUsage.system) / 1e6;
        const failed = results.filter((r) => r.end === 'error');
        if (failed.length > 0) throw new Error(`${failed.length} simulated annotators failed: ${String(failed[0]!.error)}`);
        const n = acks.length - before;
        loadRows.push(
          `| ${run.name}${build.label}${ROUNDS > 1 ? ` (round ${round + 1})` : ''} | ${label} | ${n.toLocaleString('en-US')} | ${wall.toFixed(1)} s | **${Math.round(n / wall).toLocaleString('en-US')}** | ${ms(pct(timings.next, 0.5))} | **${ms(pct(timings.next, 0.99))}** | ${ms(pct(timings.submit, 0.5))} | ${ms(pct(timings.submit, 0.99))} | ${((serverCpu * 1000) / n).toFixed(2)} ms | ${((clientCpu * 1000) / n).toFixed(2)} ms | ${loadBefore.toFixed(1)} |`,
        );
      };
      const maxSaturated = run.name === 'PostgreSQL' ? PG_SATURATED_MAX : Infinity;
      await phase(`paced, ${(1000 * ANNOTATORS) / PACE_MS}/s offered for ${PACED_SECONDS} s (after ${PACED_WARMUP_SECONDS} s of warm-up)`, true);
      if (PACED_ONLY) continue;
      await phase(maxSaturated === Infinity ? 'no think time, until every item is complete' : `no think time, ${maxSaturated.toLocaleString('en-US')} submissions`, false);

      if (LOAD_ONLY) continue;
      // The lead's progress call on the full database.
      const progressMs: number[] = [];
      let submissions = 0;
      for (let i = 0; i < 21; i++) {
        const t = performance.now();
        const res = await lead(server.url, '/progress');
        const body = (await res.json()) as { submissions: number };
        if (i > 0) progressMs.push(performance.now() - t); // the first call warms the statement cache
        submissions = body.submissions;
      }
      notes.push(
        `${run.name}: GET /api/v1/progress with ${submissions.toLocaleString('en-US')} submissions and ${ANNOTATORS} annotators: median **${ms(pct(progressMs, 0.5))}**, max ${ms(Math.max(...progressMs))} (20 calls, target < 50 ms)`,
      );

      // Export from the server vs richhf consolidate on the server's annotation files (the full SQLite database).
      if (run.name === 'PostgreSQL') continue;
      // Read as a browser would download it, hashed as it arrives (not held in memory).
      const t1 = performance.now();
      const served = await new Promise<{ hash: string; bytes: number }>((resolve, reject) => {
        http
          .get(`${server.url}/api/v1/export/dataset`, { headers: { Authorization: `Bearer ${LEAD}` } }, (res) => {
            const hash = createHash('sha256');
            let bytes = 0;
            res.on('data', (d: Buffer) => {
              hash.update(d);
              bytes += d.length;
            });
            res.on('end', () => resolve({ hash: hash.digest('hex'), bytes }));
            res.on('error', reject);
          })
          .on('error', reject);
      });
      const serverExport = (performance.now() - t1) / 1000;
      const filesDir = path.join(dir, `files-${run.name}`);
      mkdirSync(filesDir);
      const files = await Promise.all(
        names.map(async (n) => {
          const f = path.join(filesDir, `${n}.json`);
          writeFileSync(f, Buffer.from(await (await lead(server.url, `/export/annotations?annotator=${n}`)).arrayBuffer()));
          return f;
        }),
      );
      const out = path.join(filesDir, 'dataset.json');
      const t2 = performance.now();
      const cli = spawnSync(process.execPath, [path.join(root, 'bin/richhf.mjs'), 'consolidate', '--pack', packFile, '--out', out, ...files], { encoding: 'utf8' });
      const cliExport = (performance.now() - t2) / 1000;
      if (cli.status !== 0) throw new Error(`richhf consolidate failed: ${cli.stderr}`);
      const same = served.hash === createHash('sha256').update(readFileSync(out)).digest('hex');
      notes.push(
        `${run.name}: dataset export of ${ITEMS.toLocaleString('en-US')} items x 3 (${(served.bytes / 2 ** 20).toFixed(1)} MB): server **${serverExport.toFixed(2)} s** vs \`richhf consolidate\` on the server's ${names.length} annotation files ${cliExport.toFixed(2)} s (**${(serverExport / cliExport).toFixed(2)}x**, target ≤ 1.5x); same bytes: ${same ? 'yes' : 'NO'}`,
      );
    } finally {
      await stopServer(server);
      await run.drop();
    }
  }
  console.log(
    `\`richhf serve\` in its own process; ${ANNOTATORS} simulated annotators (${CLIENT === httpCall ? 'node:http clients' : 'HTTP/1.1 on plain sockets'} with keep-alive, in the bench process) doing next + submit on a ${ITEMS.toLocaleString('en-US')}-item pack, K = 3: first paced (each starts a cycle every ${PACE_MS} ms, ${(1000 * ANNOTATORS) / PACE_MS} submissions/s offered: the latency at that load, measured after ${PACED_WARMUP_SECONDS} s of warm-up), then with no think time (the most the server does: its throughput, and latency when saturated). Latency is measured by the clients; CPU per submission counts both calls. "load before" is the 1-minute load average (the machine may be shared).\n`,
  );
  console.log(
    '| database | load | submissions | wall | submissions/s | next p50 | next p99 | submit p50 | submit p99 | server CPU per submission | clients CPU per submission | load before |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const r of loadRows) console.log(r);
  console.log('');
  for (const n of notes) console.log(`- ${n}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
