import * as z from 'zod/mini';
import { ratingRecordSchema } from './annotations.ts';
import { comparisonRecordSchema, criterionSchema } from './comparison.ts';
import { idSchema, indexSchema, sizeSchema } from './common.ts';
import { packImageRef } from './packPath.ts';
import { goldSchema } from './gold.ts';

/**
 * The answers of the collection server's `/api/v1` (README "Collection server") that the
 * annotator's page reads; the lead's are in apiLead.ts (so the annotator's bundle does not carry
 * them). Requests reuse the file formats' schemas: a submission is an annotation record plus its
 * `clientId`. Objects are not strict: a newer server may add fields, and the browser reads those
 * it knows.
 */
export const API_PATH = '/api/v1';

/**
 * `GET /health` (no token): whether the server and its database answer, and the pack it collects.
 * The page asks it at its root to learn whether it is served by a collection server (any answer
 * in this shape, 200 or 503) or as a static site (anything else).
 */
export const healthSchema = z.object({
  status: z.string(),
  database: z.optional(z.enum(['sqlite', 'postgres'])),
  pack: z.optional(idSchema),
});
export type Health = z.infer<typeof healthSchema>;

/** Made once per submission by the browser: a replay of the same clientId is a no-op on the server. */
export const clientIdSchema = z.string().check(z.regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, 'must be a UUID'));

/** The characters of a bearer token (RFC 6750 token68): what `Authorization: Bearer …` can carry. */
export const TOKEN68 = /^[A-Za-z0-9._~+/-]+=*$/;
/** Longest token either side accepts (ours are 43 characters). */
export const MAX_TOKEN_LENGTH = 512;

/** What `Authorization: Bearer …` accepts. */
export const tokenSchema = z.string().check(z.minLength(1, 'must not be empty'), z.maxLength(MAX_TOKEN_LENGTH, 'is too long'), z.regex(TOKEN68, 'is not a token'));

export const isoSchema = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' });

export const packSummarySchema = z.object({
  name: idSchema,
  annotatorsPerItem: z.number().check(z.int(), z.minimum(1)),
  items: indexSchema,
  instructions: z.optional(z.string()),
});
export type PackSummary = z.infer<typeof packSummarySchema>;

/** The `study` part of `GET /me` for a participant. The code and URL are there only once the server recorded them complete. */
export const meStudySchema = z.object({
  id: idSchema,
  name: z.string(),
  quota: z.nullable(indexSchema),
  completed: z.literal([true, false]),
  completedAt: z.optional(isoSchema),
  completionCode: z.optional(z.string()),
  // Becomes a link on the finished screen: http(s) only.
  completionUrl: z.optional(z.string().check(z.regex(/^https?:\/\//i, 'must be an http(s) URL'))),
});
export type MeStudy = z.infer<typeof meStudySchema>;

/** `GET /me`: who a token is (`annotator` and `submitted` for an annotator's token). */
export const meSchema = z.object({
  role: z.enum(['lead', 'annotator']),
  annotator: z.optional(idSchema),
  pack: packSummarySchema,
  submitted: z.optional(indexSchema),
  /** For a crowd study's participant (study.ts). */
  study: z.optional(meStudySchema),
});
export type Me = z.infer<typeof meSchema>;

/**
 * Where the browser loads a served item's image from: the server's signed path under
 * `/api/v1/images/` (the pack's own files), or the pack's http(s) URL. Nothing else.
 */
const SERVED_IMAGE_PATH = /^\/api\/v1\/images\/[^/?#]+(\?[^#]*)?$/;
export const servedImageSchema = z.string().check(
  z.refine((s) => {
    const ref = packImageRef(s);
    return SERVED_IMAGE_PATH.test(s) || (ref.ok && ref.value.kind === 'url');
  }, `must be an http(s) URL or a path under ${API_PATH}/images/`),
);

/** An item as the server hands it out: `image` is a URL the browser can load (signed, it expires). */
export const serverItemSchema = z.object({
  id: idSchema,
  image: servedImageSchema,
  prompt: z.string().check(z.maxLength(10_000)),
  // null: neither the pack nor the image file gives the size (the page reads it from the image).
  width: z.nullable(sizeSchema),
  height: z.nullable(sizeSchema),
});
export type ServerItem = z.infer<typeof serverItemSchema>;

/** One image of a served comparison item: a loadable URL and its size (null when unknown), never its system. */
export const serverComparisonImageSchema = z.object({
  image: servedImageSchema,
  width: z.nullable(sizeSchema),
  height: z.nullable(sizeSchema),
});

/**
 * A comparison item as the server hands it out (issue 18): its two images in the item's order,
 * the criteria to answer, and `left`, the side drawn for this annotator (show images[left] on the
 * left, and send it back in the record). No system names: the lead's pack keeps them.
 */
export const serverComparisonSchema = z.object({
  id: idSchema,
  kind: z.literal('compare'),
  prompt: z.string().check(z.maxLength(10_000)),
  images: z.tuple([serverComparisonImageSchema, serverComparisonImageSchema]),
  criteria: z.array(criterionSchema).check(z.minLength(1)),
  left: z.literal([0, 1]),
});
export type ServerComparison = z.infer<typeof serverComparisonSchema>;

/** Either kind of served item: a comparison item says `"kind": "compare"`, a rating item has no kind. */
export const servedItemSchema = z.union([serverComparisonSchema, serverItemSchema]);
export type ServedItem = ServerItem | ServerComparison;

export function isServerComparison(item: ServedItem): item is ServerComparison {
  return 'kind' in item && item.kind === 'compare';
}

/** `GET /next` with 200 (204: nothing left for this annotator). */
export const nextSchema = z.object({ item: servedItemSchema, leaseExpiresAt: isoSchema });
export type NextItem = z.infer<typeof nextSchema>;

/** `GET /submissions`: the annotator's current records, in pack order. */
export const mySubmissionsSchema = z.object({
  annotator: idSchema,
  pack: idSchema,
  submissions: z.array(z.union([z.object({ item: serverComparisonSchema, record: comparisonRecordSchema }), z.object({ item: serverItemSchema, record: ratingRecordSchema })])),
});
export type MySubmissions = z.infer<typeof mySubmissionsSchema>;

/**
 * Feedback on a training item (issue 17): the item's reference answer (goldSchema: image
 * pixels, token indices, 1-5 scores, each part optional, and an explanation). Sent only in the
 * acknowledgement of a submission of a training item, never before: nothing the browser
 * receives before Submit tells a gold item apart.
 */
export const trainingFeedbackSchema = z.object({ reference: goldSchema });
export type TrainingFeedback = z.infer<typeof trainingFeedbackSchema>;

/** `POST /submissions` with 200: stored (or already stored); `feedback` for a training item. */
export const acceptedSchema = z.object({ accepted: z.literal(true), feedback: z.optional(trainingFeedbackSchema) });
export type Accepted = z.infer<typeof acceptedSchema>;

/**
 * The refusal a rejected annotator reads (a 401 from any call): the page shows it as thanks,
 * not as an error. One string for the server and the page.
 */
export const REJECTED_MESSAGE =
  'Thank you for your work. The project lead has closed your part in this project, so there are no more items for you here; what you submitted was received.';

/** Every error: `message` is a sentence to show as it is; `path` names the field. */
export const errorAnswerSchema = z.object({ error: z.object({ message: z.string(), path: z.optional(z.string()) }) });
