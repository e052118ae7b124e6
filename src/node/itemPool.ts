import type { Worker } from 'node:worker_threads';
import { inlineItemPool, workerItemPool, type ChunkReply, type ChunkRequest, type ChunkWorker, type ItemPool } from '../core/dataset/itemPool.ts';
import { annotationFileSchema, type AnnotationFile } from '../core/formats/annotations.ts';
import type { MapPair, PairGrid, PairScore } from '../core/metrics/heatmapPair.ts';
import { type Parsed } from '../core/formats/located.ts';
import { parseJsonBytes, parseJsonText } from '../core/formats/readDocument.ts';
import type { ProblemReport } from '../core/formats/problems.ts';
import { scoreCutPairsHere, scorePairsHere, type CutPair } from './heatmapPairs.ts';
import { startModuleThread } from './moduleThread.ts';

/**
 * The item pool on Node's worker_threads, for the command line and the server: `threads`
 * threads started at once (<= 1: everything in the calling thread). See
 * src/core/dataset/itemPool.ts for the rules; this file only starts threads and moves messages.
 *
 * The threads can also validate input files (parseInput), which they do while the caller
 * parses the rest: before the first item can be made every input must be read, and the
 * threads would otherwise wait through the whole of it. The same threads score heatmap pairs
 * for `richhf evaluate` (startScoringPool).
 */
export interface NodeItemPool extends ItemPool {
  /**
   * An annotation file's bytes checked against its schema, on a thread when there are any
   * (the schema, not JSON.parse, is most of the cost), with the same bounded, located report
   * as parseJsonBytes(name, bytes, annotationFileSchema).
   */
  parseInput(name: string, bytes: Uint8Array): Promise<Parsed<AnnotationFile>>;
}

/** Messages besides the item pool's own: validate one input text. */
export interface ValidateRequest {
  readonly validate: { readonly id: number; readonly name: string; readonly bytes: Uint8Array };
}
export interface ValidateReply {
  /** `report`: what is wrong (bounded), or null for a valid file. */
  readonly validated: { readonly id: number; readonly report: ProblemReport | null };
}
/** Score consecutive heatmap pairs. */
export interface ScoreRequest {
  readonly score: { readonly id: number; readonly grid: PairGrid; readonly pairs: readonly MapPair[] };
}
/** Score consecutive cut pairs, their predicted maps' text in `file` (a SharedArrayBuffer's bytes). */
export interface CutScoreRequest {
  readonly scoreCuts: { readonly id: number; readonly grid: PairGrid; readonly file: Uint8Array; readonly pairs: readonly CutPair[] };
}
/** Make the scorer for a grid, answering nothing. */
export interface PrepareRequest {
  readonly prepare: PairGrid;
}
export interface ScoreReply {
  /** null: a cut pair's text is not plain base64 (scoreCutPairsHere). */
  readonly scored: { readonly id: number; readonly scores: PairScore[] | null };
}

/** Pairs per message: about 3 MB of noisy 512x512 PNGs, small enough to keep every thread busy to the end. */
const PAIRS_PER_REQUEST = 16;
/**
 * Cut pairs per message: their maps are not in the message, so fewer per message cost nothing
 * and leave less for one thread to finish while the others wait (a noisy pair: about 4 ms).
 */
const CUT_PAIRS_PER_REQUEST = 4;
/** Three in flight: a thread still has one to score while the calling thread scores one of its own. */
const REQUESTS_PER_THREAD = 3;

/** The threads of `richhf evaluate`. */
export interface ScoringPool {
  /**
   * Heatmap pairs scored, a few at a time, by the worker threads and this one (only this one
   * when there are none), the scores in the pairs' order. `onProgress` gets how many pairs from
   * the first are done. A thread that fails costs time, not the run: what it had is scored here.
   */
  scorePairs(grid: PairGrid, pairs: readonly MapPair[], onProgress?: (done: number) => void): Promise<PairScore[]>;
  /**
   * scorePairs for cut pairs, whose predicted maps are read from `file`, the bytes of a
   * SharedArrayBuffer (one the threads share, not copied); null when a cut's text is not plain
   * base64 (scoreCutPairsHere).
   */
  scoreCutPairs(grid: PairGrid, file: Uint8Array, pairs: readonly CutPair[], onProgress?: (done: number) => void): Promise<PairScore[] | null>;
  /** Has the threads make their scorer for `grid` now (about 0.1 s each), while the caller still parses the predictions. */
  prepareScoring(grid: PairGrid): void;
  close(): Promise<void>;
}

/**
 * `threads` threads scoring heatmap pairs: this one and threads - 1 item pool threads, started
 * at once. This thread takes part rather than waiting: each thread started costs its start-up,
 * its own compiled code and scorer, and a copy of every map sent to it (one thread fewer: about
 * 0.5 s of CPU less for 400 noisy items), and on a machine of N cores N threads are enough.
 */
export function startScoringPool(threads: number): ScoringPool {
  const live = new Set<Worker>();
  const waiting: Waiting = new Map();
  const started = Array.from({ length: Math.max(0, threads - 1) }, () => {
    const worker = spawnItemWorker(live, waiting);
    // A failed thread is dropped: the pairs it had are scored by the others (scoreOnThreads).
    worker.listen(
      () => undefined,
      () => void worker.terminate(),
    );
    return worker;
  });
  let nextId = 0;
  return {
    scorePairs: (grid, pairs, onProgress) =>
      scoreOnThreads([...live], waiting, () => nextId++, pairs, onProgress, {
        perRequest: PAIRS_PER_REQUEST,
        request: (id, some) => ({ score: { id, grid, pairs: some } }) satisfies ScoreRequest,
        here: (some) => scorePairsHere(grid, some),
      }) as Promise<PairScore[]>,
    scoreCutPairs: (grid, file, pairs, onProgress) =>
      scoreOnThreads([...live], waiting, () => nextId++, pairs, onProgress, {
        perRequest: CUT_PAIRS_PER_REQUEST,
        request: (id, some) => ({ scoreCuts: { id, grid, file, pairs: some } }) satisfies CutScoreRequest,
        here: (some) => scoreCutPairsHere(grid, file, some),
      }),
    prepareScoring: (grid) => {
      for (const worker of live) worker.postMessage({ prepare: grid } satisfies PrepareRequest);
    },
    async close() {
      await Promise.all(started.map((worker) => worker.terminate()));
    },
  };
}

/** UTF-8 (a BOM dropped); throws on other bytes, which the byte reader then locates. */
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

export function startItemPool(threads: number): NodeItemPool {
  if (threads <= 1) {
    return {
      ...inlineItemPool(),
      parseInput: async (name, bytes) => parseJsonBytes(name, bytes, annotationFileSchema),
    };
  }
  const live = new Set<Worker>();
  const waiting: Waiting = new Map();
  let nextId = 0;
  let turn = 0;
  const pool = workerItemPool({ spawn: () => spawnItemWorker(live, waiting), threads });
  return {
    run: pool.run,
    close: pool.close,
    async parseInput(name, bytes) {
      const workers = [...live];
      if (workers.length === 0) return parseJsonBytes(name, bytes, annotationFileSchema);
      let text: string;
      try {
        text = strictUtf8.decode(bytes);
      } catch {
        return parseJsonBytes(name, bytes, annotationFileSchema); // not UTF-8: located here, at once
      }
      const id = nextId++;
      const verdict = new Promise<ProblemReport | PairScore[] | null | Error>((resolve) => waiting.set(id, resolve));
      // This thread keeps the text; the bytes move to the thread (copied only when they share a buffer).
      const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
      const sent = own ? bytes : bytes.slice();
      workers[turn++ % workers.length]!.postMessage({ validate: { id, name, bytes: sent } } satisfies ValidateRequest, [sent.buffer as ArrayBuffer]);
      // Every file's request goes out before this thread starts parsing any of them.
      await null;
      // Meanwhile this thread parses the JSON itself: a valid file is used as parsed here.
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        value = undefined; // the thread reports the syntax error, located
      }
      const report = await verdict;
      if (report instanceof Error || Array.isArray(report)) return parseJsonText(name, text, annotationFileSchema); // the thread died: check here
      if (report !== null) return { ok: false, ...report };
      // Checked by the schema on the thread; the format schemas transform nothing, so their
      // output is the parsed JSON itself (tests/unit/itemPool.test.ts holds them to that).
      return { ok: true, value: value as AnnotationFile };
    },
  };
}

/** Requests sent to a thread, by id: the errors found or the scores, or the thread's failure. */
type Waiting = Map<number, (result: ProblemReport | PairScore[] | null | Error) => void>;

/** How one kind of pair is sent to a thread and scored here; `here` answers null when the run must stop (scoreCutPairsHere). */
interface PairWork<P> {
  readonly perRequest: number;
  request(id: number, pairs: readonly P[]): ScoreRequest | CutScoreRequest;
  here(pairs: readonly P[]): PairScore[] | null;
}

/** Thrown inside scoreOnThreads when a thread or this one answers null: the run's answer is null. */
class Refused extends Error {}

/**
 * Requests of `perRequest` pairs, REQUESTS_PER_THREAD in flight per thread, the next one to
 * whichever thread answers; this thread scores the next request itself whenever it is free
 * (between two, the threads' answers are taken and their next requests sent). After a
 * failure the pairs not yet answered are scored here. null as soon as any answer is null.
 */
function scoreOnThreads<P>(
  workers: readonly Worker[],
  waiting: Waiting,
  newId: () => number,
  pairs: readonly P[],
  onProgress: ((done: number) => void) | undefined,
  work: PairWork<P>,
): Promise<PairScore[] | null> {
  const perRequest = work.perRequest;
  const requests = Math.ceil(pairs.length / perRequest);
  const pairsOf = (r: number) => pairs.slice(r * perRequest, (r + 1) * perRequest);
  const hereOrRefuse = (r: number) => {
    const scores = work.here(pairsOf(r));
    if (!scores) throw new Refused();
    return scores;
  };
  if (workers.length === 0 || pairs.length === 0) {
    const all: PairScore[] = [];
    try {
      for (let r = 0; r < requests; r++) {
        all.push(...hereOrRefuse(r));
        onProgress?.(Math.min(pairs.length, (r + 1) * perRequest));
      }
    } catch (e) {
      if (e instanceof Refused) return Promise.resolve(null);
      return Promise.reject(e instanceof Error ? e : new Error(String(e)));
    }
    return Promise.resolve(all);
  }
  const answers: (PairScore[] | undefined)[] = new Array(requests);
  let sent = 0;
  let answered = 0;
  let inOrder = 0; // requests answered from the first
  let failed = false;
  let settled = false;
  return new Promise((resolve, reject) => {
    const stop = (e: unknown) => {
      failed = true;
      settled = true;
      if (e instanceof Refused) resolve(null);
      else reject(e instanceof Error ? e : new Error(String(e)));
    };
    const finish = () => {
      if (settled) return;
      try {
        for (let r = 0; r < requests; r++) answers[r] ??= hereOrRefuse(r);
      } catch (e) {
        stop(e);
        return;
      }
      settled = true;
      onProgress?.(pairs.length);
      resolve(answers.flatMap((a) => a!));
    };
    const answer = (r: number, scores: PairScore[]) => {
      answers[r] = scores;
      answered++;
      while (inOrder < requests && answers[inOrder]) inOrder++;
      onProgress?.(Math.min(pairs.length, inOrder * perRequest));
      if (answered === requests) finish();
    };
    const send = (worker: Worker) => {
      if (failed || sent >= requests) return;
      const r = sent++;
      const id = newId();
      waiting.set(id, (result) => {
        waiting.delete(id);
        if (failed || settled) return;
        if (result === null) {
          stop(new Refused());
          return;
        }
        if (result instanceof Error || !Array.isArray(result)) {
          failed = true;
          finish();
          return;
        }
        answer(r, result);
        send(worker);
      });
      worker.postMessage(work.request(id, pairsOf(r)));
    };
    const here = () => {
      if (failed || settled || sent >= requests) return;
      const r = sent++;
      let scores: PairScore[];
      try {
        scores = hereOrRefuse(r);
      } catch (e) {
        stop(e);
        return;
      }
      answer(r, scores);
      setImmediate(here);
    };
    for (let k = 0; k < REQUESTS_PER_THREAD; k++) for (const worker of workers) send(worker);
    setImmediate(here);
  });
}

function spawnItemWorker(live: Set<Worker>, waiting: Waiting): ChunkWorker {
  const worker = startModuleThread('itemWorker');
  live.add(worker);
  return {
    send: (request: ChunkRequest) => worker.postMessage(request),
    listen(onReply, onFailure) {
      worker.on('message', (reply: ChunkReply | ValidateReply | ScoreReply) => {
        if ('scored' in reply) return waiting.get(reply.scored.id)?.(reply.scored.scores);
        if (!('validated' in reply)) return onReply(reply);
        waiting.get(reply.validated.id)?.(reply.validated.report);
        waiting.delete(reply.validated.id);
      });
      const fail = (error: Error) => {
        for (const settle of waiting.values()) settle(error);
        waiting.clear();
        onFailure(error);
      };
      worker.on('error', fail);
      worker.on('exit', (code) => fail(new Error(`an item worker thread exited with code ${code}`)));
    },
    async terminate() {
      live.delete(worker);
      worker.removeAllListeners();
      worker.on('error', () => undefined); // stopping: nothing is waiting for it any more
      await worker.terminate();
    },
  };
}
