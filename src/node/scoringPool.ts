import type { Worker } from 'node:worker_threads';
import type { MapPair, PairGrid, PairScore } from '../core/metrics/heatmapPair.ts';
import type { CutPair } from './heatmapPairs.ts';
import { startModuleThread } from './moduleThread.ts';

/**
 * The threads of `richhf evaluate`: the calling thread and threads - 1 worker threads
 * (scoringWorker.ts) score heatmap pairs. This module and the threads load only what scoring
 * needs, and the metrics only when the first pairs come, so the command starts its threads
 * before it loads its own modules (schemas, parsers): a thread's start-up, about 0.2 s, then
 * overlaps with the calling thread's.
 */

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
  /** Has the worker threads make their scorer for `grid` now (about 50 ms each), before their first pairs come. */
  prepareScoring(grid: PairGrid): void;
  /** prepareScoring for this thread (otherwise its scorer is made at its first pair). */
  prepareHere(grid: PairGrid): Promise<void>;
  close(): Promise<void>;
}

/** Requests sent to a thread, by id: the scores (null: refused), or the thread's failure. */
type Waiting = Map<number, (result: PairScore[] | null | Error) => void>;

/**
 * `threads` threads scoring heatmap pairs: this one and threads - 1 worker threads, started at
 * once. This thread takes part rather than waiting: each thread started costs its start-up, its
 * own compiled code and scorer (one thread fewer: about 0.5 s of CPU less for 400 noisy items),
 * and on a machine of N cores N threads are enough.
 */
export function startScoringPool(threads: number): ScoringPool {
  const live = new Set<Worker>();
  const waiting: Waiting = new Map();
  const started = Array.from({ length: Math.max(0, threads - 1) }, () => spawnScoringWorker(live, waiting));
  let nextId = 0;
  const newId = () => nextId++;
  return {
    async scorePairs(grid, pairs, onProgress) {
      const { scorePairsHere } = await import('./heatmapPairs.ts');
      return scoreOnThreads([...live], waiting, newId, pairs, onProgress, {
        perRequest: PAIRS_PER_REQUEST,
        request: (id, some) => ({ score: { id, grid, pairs: some } }) satisfies ScoreRequest,
        here: (some) => scorePairsHere(grid, some),
      }) as Promise<PairScore[]>;
    },
    async scoreCutPairs(grid, file, pairs, onProgress) {
      const { scoreCutPairsHere } = await import('./heatmapPairs.ts');
      return scoreOnThreads([...live], waiting, newId, pairs, onProgress, {
        perRequest: CUT_PAIRS_PER_REQUEST,
        request: (id, some) => ({ scoreCuts: { id, grid, file, pairs: some } }) satisfies CutScoreRequest,
        here: (some) => scoreCutPairsHere(grid, file, some),
      });
    },
    prepareScoring(grid) {
      for (const worker of live) worker.postMessage({ prepare: grid } satisfies PrepareRequest);
    },
    async prepareHere(grid) {
      const { prepareHere } = await import('./heatmapPairs.ts');
      prepareHere(grid);
    },
    async close() {
      await Promise.all(started.map((worker) => stopWorker(worker, live)));
    },
  };
}

/** A scoring thread; one that fails is dropped, and the pairs it had are scored by the others (scoreOnThreads). */
function spawnScoringWorker(live: Set<Worker>, waiting: Waiting): Worker {
  const worker = startModuleThread('scoringWorker');
  live.add(worker);
  worker.on('message', (reply: ScoreReply) => {
    const settle = waiting.get(reply.scored.id);
    waiting.delete(reply.scored.id);
    settle?.(reply.scored.scores);
  });
  const fail = (error: Error) => {
    for (const settle of waiting.values()) settle(error);
    waiting.clear();
    void stopWorker(worker, live);
  };
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`a scoring thread exited with code ${code}`)));
  return worker;
}

async function stopWorker(worker: Worker, live: Set<Worker>): Promise<void> {
  live.delete(worker);
  worker.removeAllListeners();
  worker.on('error', () => undefined); // stopping: nothing is waiting for it any more
  await worker.terminate();
}

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
