import * as z from 'zod/mini';
import { ANNOTATIONS_FORMAT, ANNOTATIONS_VERSIONS, type AnnotationsVersion } from './names.ts';
import { idSchema, indexSchema, likertScoresSchema, POINT_KINDS, sizeSchema, submittedAtSchema } from './common.ts';
import { comparisonRecordSchema, type ComparisonRecord } from './comparison.ts';
import { elementCheck } from './jsonDocument.ts';

/**
 * `richhf-annotations`: one annotator's work on one pack, a record per item.
 *
 * A rating record: points in image pixels of the original image (origin top-left, x right,
 * y down) within [0, W] x [0, H]; `misalignedTokens` index the RichHF token list of the item's
 * prompt (checked against the pack when the file is imported or consolidated, since the prompt
 * is not in this file); four 1-5 scores.
 *
 * Version 2 adds comparison records (comparison.ts), told apart by their `left` field. A
 * version 1 file is read unchanged; one holding a comparison record is refused with the record
 * named. Writers call annotationsVersionFor, so a file of rating records stays version 1.
 */
export { ANNOTATIONS_FORMAT, ANNOTATIONS_VERSIONS, type AnnotationsVersion } from './names.ts';

export const pointSchema = z.strictObject({
  kind: z.enum(POINT_KINDS),
  x: z.number(),
  y: z.number(),
});
export type Point = z.infer<typeof pointSchema>;

export const ratingRecordSchema = z
  .strictObject({
    itemId: idSchema,
    // Absent: what tells a rating record from a comparison record.
    left: z.optional(z.undefined()),
    imageWidth: sizeSchema,
    imageHeight: sizeSchema,
    points: z.array(pointSchema).check(z.maxLength(10_000)),
    misalignedTokens: z.array(indexSchema).check(z.maxLength(10_000)),
    scores: likertScoresSchema,
    submittedAt: submittedAtSchema,
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
export type RatingRecord = z.infer<typeof ratingRecordSchema>;

/** A record of either kind: a comparison record has `left`, a rating record has not. */
export const annotationRecordSchema = z.discriminatedUnion('left', [ratingRecordSchema, comparisonRecordSchema], {
  error: (issue) => (issue.code === 'invalid_union' ? 'must be 0 or 1 (the index of the image shown on the left, in a comparison record; absent in a rating record)' : undefined),
});
export type AnnotationRecord = RatingRecord | ComparisonRecord;

export function isRatingRecord(record: AnnotationRecord): record is RatingRecord {
  return record.left === undefined;
}

export function isComparisonRecord(record: AnnotationRecord): record is ComparisonRecord {
  return record.left !== undefined;
}

/** The lowest version that holds these records: what writers put in `version`. */
export function annotationsVersionFor(records: Iterable<AnnotationRecord>): AnnotationsVersion {
  for (const r of records) if (isComparisonRecord(r)) return 2;
  return 1;
}

/** A version 1 file holds rating records only (a reader of version 1 would refuse the others). */
const recordsFitVersion = elementCheck<{ version: AnnotationsVersion; annotations: AnnotationRecord[] }, 'annotations'>('annotations', (fields, record) =>
  fields.version < 2 && isComparisonRecord(record) ? { path: [], message: `a comparison record needs version 2 of ${ANNOTATIONS_FORMAT} (this file says "version": 1)` } : null,
);

export const annotationFileSchema = z
  .strictObject({
    format: z.literal(ANNOTATIONS_FORMAT),
    version: z.literal(ANNOTATIONS_VERSIONS, { error: `must be ${ANNOTATIONS_VERSIONS.join(' or ')} (the versions of ${ANNOTATIONS_FORMAT} this richhf-studio reads)` }),
    annotator: idSchema,
    pack: idSchema,
    annotations: z.array(annotationRecordSchema),
  })
  .check(recordsFitVersion);
export type AnnotationFile = z.infer<typeof annotationFileSchema>;
