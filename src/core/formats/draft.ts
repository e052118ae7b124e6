import * as z from 'zod/mini';
import { idSchema, indexSchema, likertSchema, POINT_KINDS } from './common.ts';

/**
 * An annotator's unfinished work on one item, as kept in browser storage between edits.
 * Stored data is untrusted too (an old version, another tab, a bug): it is read back through
 * this schema. `points[].id` is a stable key for rendering and undo, not exported.
 */
export const DRAFT_VERSION = 1;

export const draftPointSchema = z.strictObject({
  id: z.string().check(z.minLength(1), z.maxLength(64)),
  kind: z.enum(POINT_KINDS),
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

/** Where the annotator was in a pack, so a reload shows the same item and tool. */
export const sessionSchema = z.strictObject({
  version: z.literal(1),
  currentItemId: idSchema,
  activeKind: z.enum(POINT_KINDS),
  /** Zoom and pan of the current item (stage pixels per image pixel, stage offset). */
  viewport: z.optional(z.strictObject({ scale: z.number().check(z.positive()), x: z.number(), y: z.number() })),
});
export type Session = z.infer<typeof sessionSchema>;
