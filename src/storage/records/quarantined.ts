/**
 * `quarantine` store, auto-increment key: a stored value that could not be read back (corrupt,
 * or of a version this app cannot migrate), moved out of its store with the reason, so that it
 * is kept (never deleted) and no longer in the way.
 */
import * as z from 'zod/mini';
import { storedRecordType } from '../storedRecord.ts';

export const QUARANTINED_VERSION = 1;

export const quarantinedSchema = z.strictObject({
  version: z.literal(QUARANTINED_VERSION),
  /** The store it was in, and its key there. */
  store: z.string(),
  key: z.union([z.string(), z.array(z.string())]),
  /** The value as it was stored, untouched. */
  value: z.unknown(),
  reason: z.string(),
  /** ISO 8601 time it was set aside. */
  setAsideAt: z.string(),
});
export type Quarantined = z.infer<typeof quarantinedSchema>;

export const quarantinedRecord = /* @__PURE__ */ storedRecordType({ name: 'quarantined record', version: QUARANTINED_VERSION, schema: quarantinedSchema });
