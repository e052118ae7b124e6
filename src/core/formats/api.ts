import * as z from 'zod/mini';
import { annotationRecordSchema } from './annotations.ts';
import { idSchema, imageRefSchema, indexSchema, sizeSchema } from './common.ts';
import { taskPackSchema } from './taskpack.ts';

/**
 * The answers of the collection server's `/api/v1` (README "Collection server"), as the browser
 * reads them. Requests reuse the file formats' schemas: a submission is an annotation record
 * plus its `clientId`. Objects are not strict: a newer server may add fields, and the browser
 * reads those it knows.
 */
export const API_PATH = '/api/v1';

/** Made once per submission by the browser: a replay of the same clientId is a no-op on the server. */
export const clientIdSchema = z.string().check(z.regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, 'must be a UUID'));

/** What `Authorization: Bearer …` accepts (RFC 6750 token68). */
export const tokenSchema = z.string().check(z.minLength(1, 'must not be empty'), z.maxLength(512, 'is too long'), z.regex(/^[A-Za-z0-9._~+/-]+=*$/, 'is not a token'));

const isoSchema = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' });

export const packSummarySchema = z.object({
  name: idSchema,
  annotatorsPerItem: z.number().check(z.int(), z.minimum(1)),
  items: indexSchema,
  instructions: z.optional(z.string()),
});
export type PackSummary = z.infer<typeof packSummarySchema>;

/** `GET /me`: who a token is. */
export const meSchema = z.discriminatedUnion('role', [
  z.object({ role: z.literal('lead'), pack: packSummarySchema }),
  z.object({ role: z.literal('annotator'), annotator: idSchema, pack: packSummarySchema, submitted: indexSchema }),
]);
export type Me = z.infer<typeof meSchema>;

/** An item as the server hands it out: `image` is a URL the browser can load (signed, it expires). */
export const serverItemSchema = z.object({
  id: idSchema,
  image: imageRefSchema,
  prompt: z.string().check(z.maxLength(10_000)),
  width: z.nullable(sizeSchema),
  height: z.nullable(sizeSchema),
});
export type ServerItem = z.infer<typeof serverItemSchema>;

/** `GET /next` with 200 (204: nothing left for this annotator). */
export const nextSchema = z.object({ item: serverItemSchema, leaseExpiresAt: isoSchema });
export type NextItem = z.infer<typeof nextSchema>;

/** `GET /submissions`: the annotator's current records, in pack order. */
export const mySubmissionsSchema = z.object({
  annotator: idSchema,
  pack: idSchema,
  submissions: z.array(z.object({ item: serverItemSchema, record: annotationRecordSchema })),
});
export type MySubmissions = z.infer<typeof mySubmissionsSchema>;

export const acceptedSchema = z.object({ accepted: z.literal(true) });

export const annotatorProgressSchema = z.object({
  id: idSchema,
  submitted: indexSchema,
  leased: indexSchema,
  lastSeenAt: z.nullable(isoSchema),
  medianActiveMs: z.nullable(z.number().check(z.minimum(0))),
  revoked: z.boolean(),
});
export type AnnotatorProgress = z.infer<typeof annotatorProgressSchema>;

/** `GET /progress` and each `progress` event of `/progress/stream`. */
export const progressSchema = z.object({
  items: indexSchema,
  completeItems: indexSchema,
  submissions: indexSchema,
  annotators: z.array(annotatorProgressSchema),
});
export type Progress = z.infer<typeof progressSchema>;

/** `POST /invites` with 201. */
export const invitesSchema = z.object({ invites: z.array(z.object({ annotator: idSchema, token: tokenSchema, url: z.string() })) });
export type Invite = z.infer<typeof invitesSchema>['invites'][number];

/** `DELETE /invites/{annotator}`. */
export const revokedSchema = z.object({ annotator: idSchema, revoked: z.literal(true), releasedLeases: indexSchema });

/** `GET /pack` (lead): the pack as loaded, and a loadable URL for each item's image. */
export const packAnswerSchema = z.object({ pack: taskPackSchema, imageUrls: z.record(z.string(), imageRefSchema) });
export type PackAnswer = z.infer<typeof packAnswerSchema>;

/** Every error: `message` is a sentence to show as it is; `path` names the field. */
export const errorAnswerSchema = z.object({ error: z.object({ message: z.string(), path: z.optional(z.string()) }) });
