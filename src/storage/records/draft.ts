/**
 * `drafts` store, key [annotator, pack, itemId]: an annotator's unfinished work on one item,
 * written on every edit. `points[].id` is a stable key for rendering and undo, not exported.
 */
import * as z from 'zod/mini';
import { idSchema, indexSchema, likertSchema, POINT_KINDS } from '../../core/formats/index.ts';
import { storedRecordType } from '../storedRecord.ts';

export const DRAFT_VERSION = 1;

export const draftPointSchema = z.strictObject({
  id: z.string().check(z.minLength(1), z.maxLength(64)),
  kind: z.enum(POINT_KINDS),
  /** Image pixels, origin top-left. */
  x: z.number(),
  y: z.number(),
});
export type DraftPoint = z.infer<typeof draftPointSchema>;

export const draftSchema = z.strictObject({
  version: z.literal(DRAFT_VERSION),
  itemId: idSchema,
  points: z.array(draftPointSchema),
  misalignedTokens: z.array(indexSchema),
  scores: z.strictObject({
    plausibility: z.optional(likertSchema),
    alignment: z.optional(likertSchema),
    aesthetics: z.optional(likertSchema),
    overall: z.optional(likertSchema),
  }),
  activeMs: indexSchema,
  /** Epoch milliseconds of the last edit. */
  updatedAt: z.number(),
});
export type Draft = z.infer<typeof draftSchema>;

/** Version 1 is the first; migrations from older versions go here as it changes. */
export const draftRecord = /* @__PURE__ */ storedRecordType({ name: 'draft', version: DRAFT_VERSION, schema: draftSchema });
