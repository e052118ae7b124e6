import * as z from 'zod/mini';
import { packImageRef } from './packPath.ts';
import { MAX_PROBLEMS_PER_FILE } from './problems.ts';

// The format schemas use zod's "mini" build: the same validation as classic zod at a
// fraction of the size, which keeps the annotator page inside its JavaScript budget.
z.config(z.locales.en());

export { POINT_KINDS, SCORE_NAMES, type PointKind, type ScoreName } from './names.ts';

/** Ids and names are untrusted text: kept short and free of control characters, rendered as text only. */
export const idSchema = z.string().check(
  z.minLength(1, 'must not be empty'),
  z.maxLength(200, 'must be at most 200 characters'),
  // eslint-disable-next-line no-control-regex
  z.regex(/^[^\u0000-\u001f\u007f]*$/, 'must not contain control characters'),
);

/** Image sizes in image pixels. */
export const sizeSchema = z.number().check(z.int('must be an integer'), z.positive('must be positive'), z.maximum(1 << 16, 'too large'));

export const likertSchema = z.number().check(z.int('must be an integer from 1 to 5'), z.minimum(1, 'must be from 1 to 5'), z.maximum(5, 'must be from 1 to 5'));

export const likertScoresSchema = z.strictObject({
  plausibility: likertSchema,
  alignment: likertSchema,
  aesthetics: likertSchema,
  overall: likertSchema,
});
export type LikertScores = z.infer<typeof likertScoresSchema>;

/** When a record was submitted: ISO 8601 with an offset (`Z` or `+01:00`). */
export const submittedAtSchema = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' });

/** A non-negative integer index (token indices, counts). */
export const indexSchema = z.number().check(z.int('must be an integer'), z.minimum(0, 'must be >= 0'));

/** A pack's image: an http(s) URL or a path inside the pack's folder (the rule is packPath.ts). */
export const imageRefSchema = z.string().check(
  z.superRefine((ref, ctx) => {
    const r = packImageRef(ref);
    if (!r.ok) ctx.addIssue({ code: 'custom', message: r.reason, input: ref });
  }),
);

export function isAllowedImageRef(ref: string): boolean {
  return packImageRef(ref).ok;
}

/**
 * A check for documents whose `items` carry ids: each id once, a repeat located at `items[i].id`.
 * It reports one repeat more than a report lists, enough to say there are more (problems.ts).
 */
export const uniqueItemIds = z.superRefine((doc: { items: readonly { id: string }[] }, ctx) => {
  const seen = new Map<string, number>();
  let reported = 0;
  for (let i = 0; i < doc.items.length && reported <= MAX_PROBLEMS_PER_FILE; i++) {
    const item = doc.items[i]!;
    const first = seen.get(item.id);
    if (first !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['items', i, 'id'], message: `duplicate id "${item.id}" (first used by items[${first}])`, input: item.id });
      reported++;
    } else seen.set(item.id, i);
  }
});
