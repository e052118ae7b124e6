import type { Worker } from 'node:worker_threads';
import { inlineItemPool, workerItemPool, type ChunkReply, type ChunkRequest, type ChunkWorker, type ItemPool } from '../core/dataset/itemPool.ts';
import { annotationFileSchema, type AnnotationFile } from '../core/formats/annotations.ts';
import { type Parsed } from '../core/formats/located.ts';
import { parseJsonBytes, parseJsonText } from '../core/formats/readDocument.ts';
import type { ProblemReport } from '../core/formats/problems.ts';
import { startModuleThread } from './moduleThread.ts';

/**
 * The item pool on Node's worker_threads, for the command line and the server: `threads`
 * threads started at once (<= 1: everything in the calling thread). See
 * src/core/dataset/itemPool.ts for the rules; this file only starts threads and moves messages.
 *
 * The threads can also validate input files (parseInput), which they do while the caller
 * parses the rest: before the first item can be made every input must be read, and the
 * threads would otherwise wait through the whole of it. `richhf evaluate`'s threads are
 * src/node/scoringPool.ts.
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
      const verdict = new Promise<ProblemReport | null | Error>((resolve) => waiting.set(id, resolve));
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
      if (report instanceof Error) return parseJsonText(name, text, annotationFileSchema); // the thread died: check here
      if (report !== null) return { ok: false, ...report };
      // Checked by the schema on the thread; the format schemas transform nothing, so their
      // output is the parsed JSON itself (tests/unit/itemPool.test.ts holds them to that).
      return { ok: true, value: value as AnnotationFile };
    },
  };
}

/** Requests sent to a thread, by id: the errors found, or the thread's failure. */
type Waiting = Map<number, (result: ProblemReport | null | Error) => void>;

function spawnItemWorker(live: Set<Worker>, waiting: Waiting): ChunkWorker {
  const worker = startModuleThread('itemWorker');
  live.add(worker);
  return {
    send: (request: ChunkRequest) => worker.postMessage(request),
    listen(onReply, onFailure) {
      worker.on('message', (reply: ChunkReply | ValidateReply) => {
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
