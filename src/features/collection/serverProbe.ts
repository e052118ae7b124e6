/**
 * Is this page served by a collection server? It asks `GET /api/v1/health` (no token), the one
 * documented way (README "API"): an answer in its format (200, or 503 while the server stops or
 * its database is down) means a server, and names its pack; anything else (a static host's 404 or
 * its index.html, no answer at all) means the static app. Without a network the page cannot tell,
 * and opens as the static app: that is also what a static build opened offline must do.
 */
import { API_PATH, healthSchema, type Health } from '../../core/formats/api.ts';

/** Milliseconds before a server that does not answer counts as no server. */
const PROBE_TIMEOUT_MS = 5_000;

export async function probeServer(): Promise<Health | null> {
  try {
    const res = await fetch(`${API_PATH}/health`, { cache: 'no-store', signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    if (!(res.headers.get('Content-Type') ?? '').includes('application/json')) return null;
    const health = healthSchema.safeParse(await res.json());
    return health.success ? health.data : null;
  } catch {
    return null;
  }
}
