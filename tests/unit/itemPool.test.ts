import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ItemJob, ItemOutputs } from '../../src/core/dataset/itemJob.ts';
import { answerChunk, inlineItemPool, workerItemPool, type ChunkReply, type ChunkRequest, type ChunkWorker, type ItemPool } from '../../src/core/dataset/itemPool.ts';
import { writeDataset, type DatasetSink } from '../../src/core/dataset/pipeline.ts';
import { planConsolidation } from '../../src/core/dataset/plan.ts';
import { annotationFileSchema, taskPackSchema } from '../../src/core/formats/index.ts';
import { parseJsonBytes, parseJsonText } from '../../src/core/formats/readDocument.ts';
import { readRecords } from '../../src/core/encode/tfrecord.ts';
import { startItemPool } from '../../src/node/itemPool.ts';
import { gridSize } from '../../src/core/dataset/grid.ts';

const FIX = path.resolve(import.meta.dirname, '../../fixtures/consolidate');
const read = (f: string) => readFileSync(path.join(FIX, f), 'utf8');
function fixturePlan() {
  const pack = parseJsonText('pack.json', read('pack.json'), taskPackSchema);
  if (!pack.ok) throw new Error('fixture pack');
  const files = ['alice.json', 'bob.json', 'carol.json'].map((name) => {
    const f = parseJsonText(name, read(name), annotationFileSchema);
    if (!f.ok) throw new Error(`fixture ${name}`);
    return { name, file: f.value };
  });
  return planConsolidation({ pack: pack.value, files });
}
const plan = fixturePlan();
const expected = read('expected.json');
const grid = gridSize(512, 512);

/** Collects what a run emits, checking that `done` counts up through every item. */
async function collect(pool: ItemPool, job: ItemJob, signal?: AbortSignal) {
  const chunks: ItemOutputs[] = [];
  const dones: number[] = [];
  await pool.run(
    job,
    plan.items,
    (chunk, done) => {
      chunks.push(chunk);
      dones.push(done);
    },
    signal,
  );
  return { chunks, dones };
}

function memorySink() {
  const text: Uint8Array[] = [];
  const bytes: Uint8Array[] = [];
  const sink: DatasetSink = { json: (t) => void text.push(t), records: (b) => void bytes.push(b) };
  return { sink, text: () => Buffer.concat(text).toString('utf8'), records: () => Buffer.concat(bytes) };
}

describe('item pool on Node worker threads (src/node/itemPool.ts, run from the sources through tsx)', () => {
  const threads = startItemPool(2);
  afterAll(() => threads.close());

  it('writes the golden dataset byte for byte, and the same TFRecord as in this thread', async () => {
    const a = memorySink();
    const written = await writeDataset(threads, { plan, grid }, a.sink);
    expect(a.text()).toBe(expected);
    expect(written).toEqual({ items: 6, skipped: plan.skipped, warnings: plan.warnings });
    const b = memorySink();
    await writeDataset(inlineItemPool(), { plan, grid }, b.sink);
    expect(b.records().equals(a.records())).toBe(true);
    expect(readRecords(new Uint8Array(a.records()))).toHaveLength(6);
  });

  it('gives the outputs in plan order, chunk by chunk, with `done` counting every item', async () => {
    const job: ItemJob = { kind: 'mask', grid: gridSize(64, 48), threshold: 0.5, dilation: 2 };
    const viaThreads = await collect(threads, job);
    const here = await collect(inlineItemPool(), job);
    const ids = (r: { chunks: ItemOutputs[] }) => r.chunks.flatMap((c) => c.outputs.map((o) => o.id));
    expect(ids(viaThreads)).toEqual(plan.items.map((i) => i.id));
    expect(ids(here)).toEqual(ids(viaThreads));
    expect(viaThreads.dones.at(-1)).toBe(plan.items.length);
    expect(viaThreads.dones).toEqual([...viaThreads.dones].sort((x, y) => x - y));
    expect(viaThreads.chunks.length).toBeGreaterThan(1); // 6 items on 2 threads: chunks of 1
  });

  it('a job that throws in a thread fails the run with its message; the pool keeps working', async () => {
    const tooBig: ItemJob = { kind: 'dataset', grid: gridSize(9000, 4), json: true, record: false };
    await expect(collect(threads, tooBig)).rejects.toThrow('heatmap grids are 1 to 4096 cells a side, got 9000x4');
    const again = memorySink();
    await writeDataset(threads, { plan, grid }, again.sink);
    expect(again.text()).toBe(expected);
  });

  it('parseInput: valid files come back as parsed here, exactly what the schema gives; bad ones with the same bounded, located report', async () => {
    const bytes = (text: string) => new TextEncoder().encode(text);
    for (const name of ['alice.json', 'bob.json', 'carol.json']) {
      const viaThread = await threads.parseInput(name, bytes(read(name)));
      const here = parseJsonBytes(name, bytes(read(name)), annotationFileSchema);
      // The format schemas transform nothing: their output is the JSON itself.
      expect(here.ok && viaThread.ok).toBe(true);
      if (here.ok && viaThread.ok) expect(viaThread.value).toEqual(here.value);
    }
    const bad = JSON.parse(read('alice.json'));
    bad.annotations[2].scores.overall = 7;
    bad.annotations[3].points[0].x = 600;
    // A flood: every point of every record outside the image (thousands of problems).
    const flood = JSON.parse(read('alice.json'));
    for (const r of flood.annotations) r.points = Array.from({ length: 500 }, () => ({ kind: 'artifact', x: -1, y: 0 }));
    for (const text of [JSON.stringify(bad), JSON.stringify(flood), '\ufeff{"format": "richhf-annotations",', '[]']) {
      const viaThread = await threads.parseInput('bad.json', bytes(text));
      expect(viaThread.ok).toBe(false);
      expect(viaThread).toEqual(parseJsonBytes('bad.json', bytes(text), annotationFileSchema));
      if (!viaThread.ok) expect(viaThread.errors.length).toBeLessThanOrEqual(50);
    }
  });

  it('stops when its signal is aborted, with the signal reason', async () => {
    const controller = new AbortController();
    let chunks = 0;
    const run = threads.run(
      { kind: 'dataset', grid, json: true, record: false },
      plan.items,
      () => {
        chunks++;
        controller.abort(new Error('Export cancelled'));
      },
      controller.signal,
    );
    await expect(run).rejects.toThrow('Export cancelled');
    expect(chunks).toBe(1);
  });
});

/** A thread that answers in a microtask, or crashes on the chunk number `crashAt`. */
function fakeWorker(log: string[], crashAt = -1): ChunkWorker {
  let reply: (r: ChunkReply) => void = () => undefined;
  let failure: (e: Error) => void = () => undefined;
  let stopped = false;
  return {
    send(request: ChunkRequest) {
      queueMicrotask(() => {
        if (stopped) return;
        if (request.id === crashAt) failure(new Error('thread crashed'));
        else reply(answerChunk(request).reply);
      });
    },
    listen(onReply, onFailure) {
      reply = onReply;
      failure = onFailure;
    },
    terminate() {
      stopped = true;
      log.push('terminated');
    },
  };
}

describe('workerItemPool failure rules', () => {
  const job: ItemJob = { kind: 'dataset', grid: gridSize(8, 8), json: true, record: false };

  it('a crashed thread fails the run; the threads are stopped and the next run starts fresh ones', async () => {
    const log: string[] = [];
    let spawned = 0;
    const pool = workerItemPool({ spawn: () => (spawned++, fakeWorker(log, spawned <= 2 ? 1 : -1)), threads: 2 });
    await expect(collect(pool, job)).rejects.toThrow('thread crashed');
    expect(log).toEqual(['terminated', 'terminated']);
    const { chunks } = await collect(pool, job);
    expect(chunks.flatMap((c) => c.outputs.map((o) => o.id))).toEqual(plan.items.map((i) => i.id));
    expect(spawned).toBe(4);
    await pool.close();
  });

  it('threads start with the pool, or lazily at the first run that needs them; small runs need none', async () => {
    let spawned = 0;
    const spawn = () => (spawned++, fakeWorker([]));
    const eager = workerItemPool({ spawn, threads: 2 });
    expect(spawned).toBe(2);
    await eager.close();
    const lazy = workerItemPool({ spawn, threads: 2, inlineBelow: 100, lazy: true });
    await collect(lazy, job);
    expect(spawned).toBe(2); // 6 items < inlineBelow: run here
    const lazier = workerItemPool({ spawn, threads: 2, lazy: true });
    await collect(lazier, job);
    expect(spawned).toBe(4);
    await Promise.all([lazy.close(), lazier.close()]);
  });
});
