import * as z from 'zod/mini';
import { TASKPACK_FORMAT, TASKPACK_VERSION } from './names.ts';
import { idSchema, imageRefSchema, sizeSchema, uniqueItemIds } from './common.ts';

/**
 * `richhf-taskpack` v1: what a lead hands out. Image sizes are optional (read from the
 * image when absent). Item ids are unique. Changing this shape needs a new version.
 */
export { TASKPACK_FORMAT, TASKPACK_VERSION } from './names.ts';

export const taskItemSchema = z.strictObject({
  id: idSchema,
  image: imageRefSchema,
  prompt: z.string().check(z.maxLength(10_000, 'must be at most 10000 characters')),
  width: z.optional(sizeSchema),
  height: z.optional(sizeSchema),
});
export type TaskItem = z.infer<typeof taskItemSchema>;

export const taskPackSchema = z
  .strictObject({
    format: z.literal(TASKPACK_FORMAT),
    version: z.literal(TASKPACK_VERSION),
    name: idSchema,
    annotatorsPerItem: z._default(z.number().check(z.int('must be an integer'), z.minimum(1, 'must be at least 1'), z.maximum(100, 'must be at most 100')), 3),
    instructions: z.optional(z.string().check(z.maxLength(100_000))),
    items: z.array(taskItemSchema).check(z.minLength(1, 'must have at least one item')),
  })
  .check(uniqueItemIds);
export type TaskPack = z.infer<typeof taskPackSchema>;
