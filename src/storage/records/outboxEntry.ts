/**
 * `outbox` store, key clientId: a submission on its way to the collection server. It is written
 * in the same transaction that drops the item's draft (Submit), and deleted only once the server
 * has answered 200 (the record is then durable there). A refusal (400, 409…) is kept on the entry
 * with the server's words; the entry itself stays until the server accepts it. Entries written
 * before comparison items existed (a rating item and record) read back unchanged.
 */
import * as z from 'zod/mini';
import { clientIdSchema, servedItemSchema } from '../../core/formats/api.ts';
import { comparisonRecordSchema } from '../../core/formats/comparison.ts';
import { ratingRecordSchema, idSchema } from '../../core/formats/index.ts';
import { storedRecordType } from '../storedRecord.ts';

export const OUTBOX_ENTRY_VERSION = 1;

export const outboxEntrySchema = z.strictObject({
  version: z.literal(OUTBOX_ENTRY_VERSION),
  clientId: clientIdSchema,
  annotator: idSchema,
  /** The server's pack name. */
  pack: idSchema,
  /** The item as the server handed it out (a rating or a comparison item), so the page can show it again without the server. */
  item: servedItemSchema,
  /** Exactly the body of POST /api/v1/submissions, without the clientId: a rating record, or a comparison record (issue 18). */
  record: z.union([comparisonRecordSchema, ratingRecordSchema]),
  /** Epoch milliseconds of the Submit; entries are sent oldest first. */
  queuedAt: z.number(),
  /** The server's last refusal: status and message, as shown to the annotator. */
  refusal: z.optional(z.strictObject({ status: z.number(), message: z.string() })),
});
export type OutboxEntry = z.infer<typeof outboxEntrySchema>;

export const outboxEntryRecord = /* @__PURE__ */ storedRecordType({ name: 'waiting submission', version: OUTBOX_ENTRY_VERSION, schema: outboxEntrySchema });
