/**
 * `settings` store, keys SETTINGS_KEYS.annotatorSignIn and SETTINGS_KEYS.leadSignIn: the token a
 * person signed in with on the collection server this page came from (IndexedDB is per origin,
 * so per server). The annotator's also keeps what lets the page open while the server cannot be
 * reached: who they are, the pack's summary and the items they hold (leased, not yet submitted).
 */
import * as z from 'zod/mini';
import { packSummarySchema, servedItemSchema, tokenSchema } from '../../core/formats/api.ts';
import { idSchema } from '../../core/formats/index.ts';
import { storedRecordType } from '../storedRecord.ts';

export const SIGN_IN_VERSION = 1;

export const annotatorSignInSchema = z.strictObject({
  version: z.literal(SIGN_IN_VERSION),
  token: tokenSchema,
  /** Known once the server has said who the token is (GET /me). */
  annotator: z.optional(idSchema),
  pack: z.optional(packSummarySchema),
  // Rating or comparison items (issue 18); sign-ins kept before comparisons read back unchanged.
  held: z.array(z.strictObject({ item: servedItemSchema, leaseExpiresAt: z.string() })),
});
export type AnnotatorSignIn = z.infer<typeof annotatorSignInSchema>;

export const leadSignInSchema = z.strictObject({ version: z.literal(SIGN_IN_VERSION), token: tokenSchema });
export type LeadSignIn = z.infer<typeof leadSignInSchema>;

export const annotatorSignInRecord = /* @__PURE__ */ storedRecordType({ name: 'annotator sign-in', version: SIGN_IN_VERSION, schema: annotatorSignInSchema });
export const leadSignInRecord = /* @__PURE__ */ storedRecordType({ name: 'lead sign-in', version: SIGN_IN_VERSION, schema: leadSignInSchema });
