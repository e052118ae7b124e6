import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAnnotator, type Ack } from '../../../scripts/annotatorLoad.ts';
import { NO_PRIVATE_CLUSTER, startPrivateCluster, type PrivateCluster } from './privateCluster.ts';
import { startServe, stopServe, type ServeProcess } from './serveProcess.ts';
import { client, invite, LEAD, writePack } from './support.ts';

/**
 * PostgreSQL restarted under load (a cluster of the test's own): `richhf serve` (a real process)
 * keeps running, answers 503 while the database is away (`/health` too), reconnects by itself,
 * and the load goes on to the end with nothing acknowledged lost. The simulated annotators try
 * a 503 or a dropped connection again, as the browser's outbox does.
 */
const ITEMS = 150;
const K = 3;
const names = Array.from({ length: 12 }, (_, i) => `annotator-${String(i).padStart(2, '0')}`);

let server: ServeProcess | undefined;

/** Resolves once `check` is true, asking again every 20 ms (no fixed sleep); fails at once if the server has exited. */
async function until(check: () => boolean | Promise<boolean>): Promise<void> {
  for (;;) {
    if (server && server.child.exitCode !== null) throw new Error(`richhf serve exited (${server.child.exitCode}):\n${server.stderr.join('\n')}`);
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.skipIf(NO_PRIVATE_CLUSTER !== undefined)(`PostgreSQL restarts under load${NO_PRIVATE_CLUSTER ? ` (${NO_PRIVATE_CLUSTER})` : ''}`, () => {
  let cluster: PrivateCluster;
  beforeAll(async () => {
    cluster = await startPrivateCluster();
  }, 60_000);
  afterAll(async () => {
    server?.child.kill('SIGKILL');
    await cluster?.destroy();
  });

  it('503 while the database is away, /health 503, reconnection, and the load finishes with every acknowledged submission kept', async () => {
    const db = await cluster.createDatabase('restart_under_load');
    const { file } = writePack(ITEMS, { k: K });
    const s = await startServe(['--pack', file, '--db', db]);
    server = s;
    let exited = false;
    void s.exited.then(() => (exited = true));
    const tokens = await invite(s.url, names);
    const acks: Ack[] = [];
    const retried = { next: 0, submit: 0 };
    const load = Promise.all(
      names.map((n, i) =>
        runAnnotator({
          baseUrl: s.url,
          annotator: n,
          token: tokens.get(n)!,
          seed: i + 1,
          acks,
          retryUnavailableMs: 25,
          onRetry: (call) => retried[call]++,
          giveUp: () => exited,
        }),
      ),
    );
    const health = client(s.url, undefined);
    const alice = client(s.url, tokens.get(names[0]!));

    // First: stopped under load, checked while it is away, started again.
    await until(() => acks.length >= 60);
    await cluster.stop('fast');
    await until(async () => (await health('GET', '/health')).status === 503);
    expect((await health('GET', '/health')).body).toEqual({ status: 'database unavailable', database: 'postgres' });
    const away = await alice('GET', '/next');
    expect(away.status).toBe(503);
    expect(away.body.error.message).toBe('the database is unavailable (the server reconnects by itself); try again in a moment');
    expect(away.headers.get('Retry-After')).toBe('1');
    await cluster.start();
    await until(async () => (await health('GET', '/health')).status === 200);

    // Then: restarted while the load runs, twice, the second time without a clean shutdown.
    await until(() => acks.length >= 180);
    await cluster.restart('fast');
    await until(() => acks.length >= 300);
    await cluster.restart('immediate');

    const results = await load;
    for (const r of results) expect(r.end, String(r.error)).toBe('done');
    expect(exited).toBe(false);
    expect(retried.next + retried.submit).toBeGreaterThan(0);

    // Nothing acknowledged is lost; every item has exactly K distinct annotators (a retried
    // submission that had committed is recognized by its clientId, a retried claim returns the same lease).
    const lead = client(s.url, LEAD);
    const stored = new Map<string, unknown>();
    for (const n of names) for (const r of (await lead('GET', `/export/annotations?annotator=${n}`)).body.annotations) stored.set(`${n}/${r.itemId}`, r);
    expect(acks.length).toBe(ITEMS * K);
    expect(stored.size).toBe(ITEMS * K);
    for (const a of acks) expect(stored.get(`${a.annotator}/${a.itemId}`)).toEqual(a.record);
    expect((await lead('GET', '/progress')).body).toMatchObject({ items: ITEMS, completeItems: ITEMS, submissions: ITEMS * K });
    expect(await stopServe(s)).toBe(0);
    server = undefined;
  }, 180_000);
});
