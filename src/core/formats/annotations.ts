import * as z from 'zod/mini';
import { ANNOTATIONS_FORMAT, ANNOTATIONS_VERSION } from './names.ts';
import { idSchema, indexSchema, likertScoresSchema, POINT_KINDS, sizeSchema } from './common.ts';

/**
 * `richhf-annotations` v1: one annotator's work on one pack. Points are in image pixels of
 * the original image (origin top-left, x right, y down) and lie in [0, W] x [0, H];
 * `misalignedTokens` index the RichHF token list of the item's prompt (checked against the
 * pack when the file is imported or consolidated, since the prompt is not in this file).
 */
export { ANNOTATIONS_FORMAT, ANNOTATIONS_VERSION } from './names.ts';

export const pointSchema = z.strictObject({
  kind: z.enum(POINT_KINDS),
  x: z.number(),
  y: z.number(),
});
export type Point = z.infer<typeof pointSchema>;

export const annotationRecordSchema = z
  .strictObject({
    itemId: idSchema,
    imageWidth: sizeSchema,
    imageHeight: sizeSchema,
    points: z.array(pointSchema).check(z.maxLength(10_000)),
    misalignedTokens: z.array(indexSchema).check(z.maxLength(10_000)),
    scores: likertScoresSchema,
    submittedAt: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' }),
    activeMs: indexSchema,
  })
  .check(
    z.superRefine((rec, ctx) => {
      rec.points.forEach((p, i) => {
        if (p.x < 0 || p.x > rec.imageWidth) ctx.addIssue({ code: 'custom', path: ['points', i, 'x'], message: `outside the image (0 to ${rec.imageWidth})`, input: p.x });
        if (p.y < 0 || p.y > rec.imageHeight) ctx.addIssue({ code: 'custom', path: ['points', i, 'y'], message: `outside the image (0 to ${rec.imageHeight})`, input: p.y });
      });
      const seen = new Set<number>();
      rec.misalignedTokens.forEach((t, i) => {
        if (seen.has(t)) ctx.addIssue({ code: 'custom', path: ['misalignedTokens', i], message: `duplicate token index ${t}`, input: t });
        seen.add(t);
      });
    }),
  );
export type AnnotationRecord = z.infer<typeof annotationRecordSchema>;

export const annotationFileSchema = z.strictObject({
  format: z.literal(ANNOTATIONS_FORMAT),
  version: z.literal(ANNOTATIONS_VERSION),
  annotator: idSchema,
  pack: idSchema,
  annotations: z.array(annotationRecordSchema),
});
export type AnnotationFile = z.infer<typeof annotationFileSchema>;
