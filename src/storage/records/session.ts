/**
 * `sessions` store, key [annotator, pack]: where the annotator was in a pack, so a reload shows
 * the same item, tool, zoom and pan. The zoom and pan carry the layout they were made in
 * (features/annotate/layout.ts): on the other layout the view is fitted again instead.
 */
import * as z from 'zod/mini';
import { idSchema, POINT_KINDS } from '../../core/formats/index.ts';
import { storedRecordType } from '../storedRecord.ts';

export const SESSION_VERSION = 2;

export const sessionSchema = z.strictObject({
  version: z.literal(SESSION_VERSION),
  currentItemId: idSchema,
  activeKind: z.enum(POINT_KINDS),
  /**
   * Zoom and pan of the current item (stage pixels per image pixel, stage offset in CSS pixels),
   * and the layout of the canvas they were made for.
   */
  viewport: z.optional(z.strictObject({ scale: z.number().check(z.positive()), x: z.number(), y: z.number(), layout: z.enum(['narrow', 'wide']) })),
});
export type Session = z.infer<typeof sessionSchema>;

/**
 * Version 1 is the first (sessions written before zoom and pan were kept have no `viewport`).
 * 1 -> 2: the viewport names its layout; a version 1 viewport's layout is unknown, so it is
 * dropped (the item opens fitted, as it would on the other layout).
 */
export const sessionRecord = /* @__PURE__ */ storedRecordType({
  name: 'session',
  version: SESSION_VERSION,
  schema: sessionSchema,
  migrations: {
    1: ({ viewport: _unknownLayout, ...rest }) => ({ ...rest, version: 2 }),
  },
});
