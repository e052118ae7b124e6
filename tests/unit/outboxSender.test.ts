/**
 * The outbox sender (features/collection/outboxSender.ts) with the outbox in fake-indexeddb and
 * a real `richhf serve` in this process: entries leave the outbox only after the server's 200,
 * in order; a stopped server keeps them and a retry delivers them exactly once; a lost answer
 * is replayed harmlessly; a refusal is kept with its message; a 401 stops the sender. Retries
 * are driven by a scheduler the test holds, not by timers.
 */
import 'fake-indexeddb/auto';
import { createServer, type AddressInfo } from 'node:net';
import { deleteDB } from 'idb';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { RatingRecord } from '../../src/core/formats/index.ts';
import * as api from '../../src/features/collection/api.ts';
import * as leadApi from '../../src/features/dashboard/leadApi.ts';
import { newClientId } from '../../src/features/collection/clientId.ts';
import { backoffMs } from '../../src/features/collection/backoff.ts';
import { createSender, type Sender } from '../../src/features/collection/outboxSender.ts';
import { resetOutbox, useOutboxStore } from '../../src/features/collection/outboxStore.ts';
import { closeDb, DB_NAME } from '../../src/storage/db.ts';
import { addToOutbox, listOutbox } from '../../src/storage/outbox.ts';
import type { OutboxEntry } from '../../src/storage/records/outboxEntry.ts';
import { whenStorageIdle } from '../../src/storage/writeQueue.ts';
import { DATABASES, invite, LEAD, recordFor, startTestServer, writePack, type TestServer } from './server/support.ts';

let server: TestServer | undefined;
let drop: (() => Promise<void>) | undefined;
let sender: Sender | undefined;

beforeEach(async () => {
  await whenStorageIdle();
  await closeDb();
  await deleteDB(DB_NAME);
  resetOutbox();
});
afterEach(async () => {
  sender?.stop();
  await server?.close();
  await drop?.();
  await closeDb();
  server = drop = sender = undefined;
});

/** A server with pack `test` (4 items, K = 2), and alice holding items 0001 and 0002. */
async function setUp() {
  const { file } = writePack(4, { k: 2 });
  const db = await DATABASES[0]!.create();
  drop = db.drop;
  server = await startTestServer({ packFile: file, db: db.url });
  const token = (await invite(server.url, ['alice'])).get('alice')!;
  const alice: api.Connection = { token, base: server.url };
  await api.next(alice, []);
  await api.next(alice, ['0001']);
  return { alice, lead: { token: LEAD, base: server.url } as api.Connection };
}

function entry(itemId: string, queuedAt: number, record: Partial<RatingRecord> = {}): OutboxEntry {
  return {
    version: 1,
    clientId: newClientId(),
    annotator: 'alice',
    pack: 'test',
    item: { id: itemId, image: `/api/v1/images/${itemId}?exp=1&sig=x`, prompt: 'a red cat on a blue sofa', width: 64, height: 48 },
    record: { ...recordFor(itemId), ...record } as RatingRecord,
    queuedAt,
  };
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** A scheduler the test runs by hand: the sender's retries wait here until `runRetry`. */
function manualSchedule() {
  const pending: { fn: () => void; ms: number }[] = [];
  return {
    pending,
    schedule: (fn: () => void, ms: number) => {
      const job = { fn, ms };
      pending.push(job);
      return () => pending.splice(pending.indexOf(job), 1);
    },
    runRetry() {
      const job = pending.shift();
      if (!job) throw new Error('no retry was scheduled');
      job.fn();
    },
  };
}

async function serverRecords(lead: api.Connection): Promise<string[]> {
  const file = JSON.parse(await (await leadApi.download(lead, { annotator: 'alice' })).text()) as { annotations: RatingRecord[] };
  return file.annotations.map((r) => r.itemId);
}

describe('the outbox sender', () => {
  test('sends oldest first and removes each entry only after the 200', async () => {
    const { alice, lead } = await setUp();
    await addToOutbox(entry('0002', 2));
    await addToOutbox(entry('0001', 1));
    const delivered: string[] = [];
    const outboxWhenSent: number[] = [];
    sender = createSender({
      annotator: 'alice',
      send: async (id, r) => {
        outboxWhenSent.push((await listOutbox('alice')).entries.length);
        await api.submit(alice, id, r);
      },
      onAuthFailure: () => undefined,
      onDelivered: (e) => delivered.push(e.record.itemId),
    });
    sender.kick();
    await sender.idle();
    expect(delivered).toEqual(['0001', '0002']);
    // Each entry was still stored while it was being sent.
    expect(outboxWhenSent).toEqual([2, 1]);
    expect((await listOutbox()).entries).toEqual([]);
    expect(useOutboxStore.getState()).toMatchObject({ waiting: 0, refused: [], problem: null });
    expect(await serverRecords(lead)).toEqual(['0001', '0002']);
  });

  test('the server cannot be reached: both entries wait; once it answers, a retry delivers each exactly once', async () => {
    const { alice, lead } = await setUp();
    // The server behind an address that does not answer yet: a port nobody listens on.
    let base = `http://127.0.0.1:${await freePort()}`;
    await addToOutbox(entry('0001', 1));
    await addToOutbox(entry('0002', 2));
    const timers = manualSchedule();
    sender = createSender({
      annotator: 'alice',
      send: (id, r) => api.submit({ ...alice, base }, id, r),
      onAuthFailure: () => undefined,
      schedule: timers.schedule,
      random: () => 0.5,
    });
    sender.kick();
    await sender.idle();
    expect(useOutboxStore.getState()).toMatchObject({ waiting: 2, itemIds: ['0001', '0002'], problem: 'the server cannot be reached (offline, or the server is stopped)' });
    expect(timers.pending.map((p) => p.ms)).toEqual([1000]);
    // Still unreachable: the next wait is longer.
    timers.runRetry();
    await sender.idle();
    expect(timers.pending.map((p) => p.ms)).toEqual([2000]);
    expect((await listOutbox()).entries).toHaveLength(2);
    expect((await leadApi.progress(lead)).submissions).toBe(0);

    base = server!.url;
    timers.runRetry();
    await sender.idle();
    expect(useOutboxStore.getState()).toMatchObject({ waiting: 0, problem: null, retryAt: null });
    expect((await listOutbox()).entries).toEqual([]);
    expect(await serverRecords(lead)).toEqual(['0001', '0002']);
    expect((await leadApi.progress(lead)).submissions).toBe(2);
    expect(timers.pending).toEqual([]);
  });

  test('an answer lost after the commit: the replay with the same clientId is a no-op, the entry then leaves', async () => {
    const { alice, lead } = await setUp();
    await addToOutbox(entry('0001', 1));
    const timers = manualSchedule();
    let cut = true;
    sender = createSender({
      annotator: 'alice',
      send: async (id, r) => {
        await api.submit(alice, id, r);
        if (cut) {
          cut = false;
          throw new api.ApiError('offline', 'the answer was cut off');
        }
      },
      onAuthFailure: () => undefined,
      schedule: timers.schedule,
    });
    sender.kick();
    await sender.idle();
    expect((await listOutbox()).entries).toHaveLength(1);
    timers.runRetry();
    await sender.idle();
    expect((await listOutbox()).entries).toEqual([]);
    expect((await leadApi.progress(lead)).submissions).toBe(1);
  });

  test("a refusal (409) is kept on its entry with the server's message; the others still go; nothing is dropped", async () => {
    const { alice, lead } = await setUp();
    await addToOutbox(entry('0004', 1));
    await addToOutbox(entry('0001', 2));
    sender = createSender({ annotator: 'alice', send: (id, r) => api.submit(alice, id, r), onAuthFailure: () => undefined });
    sender.kick();
    await sender.idle();
    const message = 'itemId: item "0004" was never assigned to you; ask for items with GET /api/v1/next';
    expect((await listOutbox()).entries.map((e) => [e.record.itemId, e.refusal])).toEqual([['0004', { status: 409, message }]]);
    expect(useOutboxStore.getState()).toMatchObject({ waiting: 1, refused: [{ itemId: '0004', status: 409, message }], problem: null });
    expect(await serverRecords(lead)).toEqual(['0001']);
    // A refused entry is not sent again by itself, only when the annotator asks.
    let sent = 0;
    sender.stop();
    sender = createSender({
      annotator: 'alice',
      send: (id, r) => (sent++, api.submit(alice, id, r)),
      onAuthFailure: () => undefined,
    });
    sender.kick();
    await sender.idle();
    expect(sent).toBe(0);
    sender.retryRefused();
    await sender.idle();
    expect(sent).toBe(1);
    expect((await listOutbox()).entries).toHaveLength(1);
  });

  test('a revoked token (401) stops the sender and keeps every entry', async () => {
    const { alice, lead } = await setUp();
    await leadApi.revoke(lead, 'alice');
    await addToOutbox(entry('0001', 1));
    await addToOutbox(entry('0002', 2));
    const refusals: string[] = [];
    let sent = 0;
    sender = createSender({ annotator: 'alice', send: (id, r) => (sent++, api.submit(alice, id, r)), onAuthFailure: (e) => refusals.push(e.message) });
    sender.kick();
    await sender.idle();
    expect(refusals).toEqual(['this invite was revoked by the project lead; ask them if you should still be working']);
    sender.kick();
    await sender.idle();
    expect(sent).toBe(1);
    expect((await listOutbox()).entries).toHaveLength(2);
  });

  test('an entry the storage could not keep is sent from memory', async () => {
    const { alice, lead } = await setUp();
    sender = createSender({ annotator: 'alice', send: (id, r) => api.submit(alice, id, r), onAuthFailure: () => undefined });
    sender.hold(entry('0002', 1));
    await sender.idle();
    expect(await serverRecords(lead)).toEqual(['0002']);
    expect(useOutboxStore.getState().waiting).toBe(0);
  });
});

test('backoff: 1, 2, 4, 8 s, then every 15 s, spread by ±20 %', () => {
  expect([1, 2, 3, 4, 5, 9].map((n) => backoffMs(n, () => 0.5))).toEqual([1000, 2000, 4000, 8000, 15000, 15000]);
  expect([backoffMs(1, () => 0), backoffMs(5, () => 0.999999)]).toEqual([800, 18000]);
});
