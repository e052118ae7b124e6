import { z } from 'zod';

/** The four Likert scales of RichHF-18K, in the order the paper lists them. */
export const SCORE_NAMES = ['plausibility', 'alignment', 'aesthetics', 'overall'] as const;
export type ScoreName = (typeof SCORE_NAMES)[number];

/** The two kinds of point: artifact/implausibility (drawn red) and misalignment (drawn blue). */
export const POINT_KINDS = ['artifact', 'misalignment'] as const;
export type PointKind = (typeof POINT_KINDS)[number];

/** Ids and names are untrusted text: kept short and free of control characters, rendered as text only. */
export const idSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters')
  // eslint-disable-next-line no-control-regex
  .regex(/^[^\u0000-\u001f\u007f]*$/, 'must not contain control characters');

/** Image sizes in image pixels. */
export const sizeSchema = z.number().int('must be an integer').positive('must be positive').max(1 << 16, 'too large');

export const likertSchema = z.number().int('must be an integer from 1 to 5').min(1, 'must be from 1 to 5').max(5, 'must be from 1 to 5');

export const likertScoresSchema = z.strictObject({
  plausibility: likertSchema,
  alignment: likertSchema,
  aesthetics: likertSchema,
  overall: likertSchema,
});
export type LikertScores = z.infer<typeof likertScoresSchema>;

/**
 * Image references: http(s) URLs, relative paths, blob: URLs and data:image URLs only,
 * so a pack can never smuggle `javascript:` or other schemes into an <img src>.
 */
export const imageRefSchema = z
  .string()
  .min(1, 'must not be empty')
  .refine((s) => isAllowedImageRef(s), 'must be an http(s) URL, a relative path, a blob: URL or a data:image URL');

export function isAllowedImageRef(ref: string): boolean {
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(ref);
  if (!scheme) return !ref.startsWith('//') && !ref.startsWith('\\');
  const s = scheme[1]!.toLowerCase();
  if (s === 'http' || s === 'https' || s === 'blob') return true;
  if (s === 'data') return /^data:image\/(png|jpeg|gif|webp|svg\+xml|avif|bmp);/i.test(ref);
  return false;
}
