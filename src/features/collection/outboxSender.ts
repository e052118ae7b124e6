/**
 * Sends the outbox (storage/outbox.ts) to the collection server: oldest first, one at a time,
 * each entry with its clientId (a replay after a lost answer is a no-op on the server). An
 * entry leaves the outbox only after the server's 200. When the server cannot be reached
 * (offline, stopped, 5xx, timeout) the sender waits and tries again with backoff — at once when
 * the browser comes back online or another request gets an answer. A refusal (400, 409…) is
 * kept on the entry with the server's message, shown, and not retried blindly; a 401 stops the
 * sender (the token is gone) and is reported to the session. What the page shows of it is
 * outboxStore.ts, changed here only through its actions.
 */
import type { Accepted } from '../../core/formats/api.ts';
import type { AnnotationRecord } from '../../core/formats/index.ts';
import { listOutbox, removeFromOutbox, setRefusal } from '../../storage/outbox.ts';
import type { OutboxEntry } from '../../storage/records/outboxEntry.ts';
import { ApiError } from './api.ts';
import { backoffMs } from './backoff.ts';
import { outboxDelivered, outboxListed, outboxRefused, outboxStalled } from './outboxStore.ts';

export interface SenderOptions {
  readonly annotator: string;
  /** POST /submissions; resolves on the server's 200, with its answer. */
  readonly send: (clientId: string, record: AnnotationRecord) => Promise<Accepted | void>;
  /** The token was refused (401): the sender has stopped. */
  readonly onAuthFailure: (e: ApiError) => void;
  /** An entry reached the server; `answer` is the server's (feedback on a training item). */
  readonly onDelivered?: (entry: OutboxEntry, answer: Accepted | void) => void;
  /** Timers, replaceable in tests: runs `fn` after `ms`, returns a cancel function. */
  readonly schedule?: (fn: () => void, ms: number) => () => void;
  readonly random?: () => number;
}

export interface Sender {
  /** Send what waits, now (a Submit, the browser back online, another request answered). */
  kick(): void;
  /** Send refused entries again too (the annotator asked to). */
  retryRefused(): void;
  /** An entry the storage could not keep: sent from memory. */
  hold(entry: OutboxEntry): void;
  /** Resolves when the sender has nothing in hand: everything sent, or waiting for a retry. */
  idle(): Promise<void>;
  stop(): void;
}

const defaultSchedule = (fn: () => void, ms: number) => {
  const t = setTimeout(fn, ms);
  return () => clearTimeout(t);
};

export function createSender({ annotator, send, onAuthFailure, onDelivered, schedule = defaultSchedule, random }: SenderOptions): Sender {
  let stopped = false;
  let running: Promise<void> | null = null;
  let again = false;
  let failures = 0;
  let retryRefused = false;
  let cancelRetry: (() => void) | null = null;
  /** Entries the storage could not keep: sent from memory (lost if the tab closes first). */
  const memory: OutboxEntry[] = [];

  async function pass(): Promise<void> {
    let stored: OutboxEntry[] = [];
    try {
      stored = (await listOutbox(annotator)).entries;
    } catch (e) {
      // The browser's storage is failing: send what is held in memory, and try the storage again later.
      if (memory.length === 0) throw e;
    }
    const entries = [...stored, ...memory.filter((m) => !stored.some((s) => s.clientId === m.clientId))];
    outboxListed(entries);
    const all = retryRefused;
    retryRefused = false;
    for (const entry of entries) {
      if (stopped) return;
      if (entry.refusal && !all) continue;
      const inMemory = memory.includes(entry);
      let answer: Accepted | void;
      try {
        answer = await send(entry.clientId, entry.record);
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        if (e.retryable) return waitAndRetry(e.message);
        if (e.kind === 'auth') {
          stopped = true;
          onAuthFailure(e);
          return;
        }
        // Refused as it is: keep it, with the server's words, and go on with the others.
        const refused = { ...entry, refusal: { status: e.status ?? 0, message: e.message } };
        if (inMemory) memory[memory.indexOf(entry)] = refused;
        else await setRefusal(entry.clientId, refused.refusal);
        // The server answered: it is reachable again.
        failures = 0;
        outboxRefused(entry.clientId, refused.refusal);
        continue;
      }
      failures = 0;
      if (inMemory) memory.splice(memory.indexOf(entry), 1);
      else await removeFromOutbox(entry.clientId);
      outboxDelivered(entry.clientId);
      onDelivered?.(entry, answer);
    }
  }

  function waitAndRetry(problem: string): void {
    failures++;
    const ms = backoffMs(failures, random);
    outboxStalled(problem, Date.now() + ms);
    cancelRetry?.();
    cancelRetry = schedule(() => {
      cancelRetry = null;
      kick();
    }, ms);
  }

  function kick(): void {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    cancelRetry?.();
    cancelRetry = null;
    running = (async () => {
      do {
        again = false;
        try {
          await pass();
        } catch (e) {
          // Storage failed (or something unexpected): say so and try again later; the entries stay.
          waitAndRetry(e instanceof Error ? e.message : String(e));
          return;
        }
      } while (again && !stopped && !cancelRetry);
    })().finally(() => {
      running = null;
      // Kicked while a retry was pending: the kick wins (the server answered someone).
      if (again && !stopped) {
        again = false;
        kick();
      }
    });
  }

  const online = () => {
    failures = 0;
    kick();
  };
  if (typeof window !== 'undefined') window.addEventListener('online', online);

  return {
    kick,
    hold(entry) {
      memory.push(entry);
      kick();
    },
    retryRefused() {
      retryRefused = true;
      failures = 0;
      kick();
    },
    async idle() {
      while (running) await running;
    },
    stop() {
      stopped = true;
      cancelRetry?.();
      cancelRetry = null;
      if (typeof window !== 'undefined') window.removeEventListener('online', online);
    },
  };
}
