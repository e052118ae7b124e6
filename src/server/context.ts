import type { HttpBindings } from '@hono/node-server';
import type { AuthService } from './auth/authService.ts';
import type { Identity } from './auth/identity.ts';
import type { LeaseRule } from './db/assignment.ts';
import type { Db } from './db/database.ts';
import type { ImageUrls } from './imageUrls.ts';
import type { ServedPack } from './servedPack.ts';
import type { ProgressFeed } from './progressFeed.ts';

/** What every route needs, made once by startServer. */
export interface ServerContext {
  readonly db: Db;
  readonly pack: ServedPack;
  readonly rule: LeaseRule;
  /** Epoch milliseconds; tests may move it. */
  readonly now: () => number;
  /** Who may sign in: tokens, their hashes and their cache. */
  readonly auth: AuthService;
  readonly images: ImageUrls;
  /** `http://host:port` as people reach the server, for invite URLs (no trailing slash). */
  readonly publicUrl: string;
  readonly progress: ProgressFeed;
  /** The built app's folder; undefined serves the API only. */
  readonly appDir: string | undefined;
  /** Request log lines and server messages. */
  readonly log: (line: string) => void;
  /** True once SIGTERM (or close) started: health says so and new work is refused. */
  readonly stopping: () => boolean;
  /** Registers a callback run when the server starts to stop (long-lived streams end then); returns its unregistration. */
  readonly onStop: (fn: () => void) => () => void;
}

/**
 * Per request: who sent it, and whether the server had begun to stop when it arrived (its
 * header was read). A request that arrived before the stop is in flight and is finished, even
 * if its body or its turn comes after; one that arrived after is refused with 503.
 */
export type AppEnv = { Bindings: HttpBindings; Variables: { identity: Identity; arrivedStopping: boolean } };
