import * as z from 'zod/mini';
import { COMPARISON_KEY_FORMAT, COMPARISON_KEY_VERSION } from './names.ts';
import { idSchema, uniqueItemIds } from './common.ts';

/**
 * `richhf-comparison-key` v1: which system made each image of an annotators' comparison pack,
 * kept by the lead apart from the pack (the pack, its image paths and everything the annotator's
 * browser receives name no system). `richhf pack --compare` writes both; `richhf compare
 * --pack PACK --key KEY` joins them again (compare/blind.ts).
 *
 * `items[].systems[i]` is the system of the pack item's `images[i]`. `promptId` is the prompt
 * list's id when the item's own differs (one prompt gives several items when more than two
 * systems are compared); `sources` are the image files the pack's copies were made from, as
 * given to `richhf pack` (for the lead's eyes only: nothing reads them).
 */
export { COMPARISON_KEY_FORMAT, COMPARISON_KEY_VERSION } from './names.ts';

const sourceSchema = z.string().check(z.maxLength(4096, 'must be at most 4096 characters'));

export const keyItemSchema = z
  .strictObject({
    id: idSchema,
    systems: z.tuple([idSchema, idSchema], { error: 'must be the two systems, of images[0] and images[1]' }),
    promptId: z.optional(idSchema),
    sources: z.optional(z.tuple([sourceSchema, sourceSchema])),
  })
  .check(
    z.superRefine((item, ctx) => {
      if (item.systems[0] === item.systems[1])
        ctx.addIssue({
          code: 'custom',
          path: ['systems', 1],
          message: `"${item.systems[1]}" is the other image's system too: a comparison is between two systems`,
          input: item.systems[1],
        });
    }),
  );
export type KeyItem = z.infer<typeof keyItemSchema>;

export const comparisonKeySchema = z
  .strictObject({
    format: z.literal(COMPARISON_KEY_FORMAT),
    version: z.literal(COMPARISON_KEY_VERSION),
    /** The name of the pack this is the key to. */
    pack: idSchema,
    items: z.array(keyItemSchema).check(z.minLength(1, 'must have at least one item')),
  })
  .check(uniqueItemIds);
export type ComparisonKey = z.infer<typeof comparisonKeySchema>;
