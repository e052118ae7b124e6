/**
 * `sessions` store, key [annotator, pack]: where the annotator was in a pack, so a reload shows
 * the same item, tool, zoom and pan.
 */
import * as z from 'zod/mini';
import { idSchema, POINT_KINDS } from '../../core/formats/index.ts';
import { storedRecordType } from '../storedRecord.ts';

export const SESSION_VERSION = 1;

export const sessionSchema = z.strictObject({
  version: z.literal(SESSION_VERSION),
  currentItemId: idSchema,
  activeKind: z.enum(POINT_KINDS),
  /** Zoom and pan of the current item (stage pixels per image pixel, stage offset in CSS pixels). */
  viewport: z.optional(z.strictObject({ scale: z.number().check(z.positive()), x: z.number(), y: z.number() })),
});
export type Session = z.infer<typeof sessionSchema>;

/** Version 1 is the first (sessions written before zoom and pan were kept have no `viewport`). */
export const sessionRecord = /* @__PURE__ */ storedRecordType({ name: 'session', version: SESSION_VERSION, schema: sessionSchema });
