/**
 * `settings` store, key SETTINGS_KEYS.localPack: the task pack an annotator opened from disk
 * last (its JSON file and the images it uses, as Blobs), so that a reload opens it again.
 */
import * as z from 'zod/mini';
import { storedRecordType } from '../storedRecord.ts';

export const LOCAL_PACK_VERSION = 1;

export const localPackSchema = z.strictObject({
  version: z.literal(LOCAL_PACK_VERSION),
  files: z
    .array(
      z.strictObject({
        /** The file's path relative to the folder picked, or its name. */
        path: z.string().check(z.minLength(1), z.maxLength(4096)),
        blob: z.instanceof(Blob),
      }),
    )
    .check(z.minLength(1, 'must have at least one file')),
});
export type LocalPack = z.infer<typeof localPackSchema>;

export const localPackRecord = /* @__PURE__ */ storedRecordType({ name: 'local pack', version: LOCAL_PACK_VERSION, schema: localPackSchema });
