import { z } from 'zod';
import { idSchema, imageRefSchema, sizeSchema } from './common.ts';

/**
 * `richhf-taskpack` v1: what a lead hands out. Image sizes are optional (read from the
 * image when absent). Item ids are unique. Changing this shape needs a new version.
 */
export const TASKPACK_FORMAT = 'richhf-taskpack';
export const TASKPACK_VERSION = 1;

export const taskItemSchema = z.strictObject({
  id: idSchema,
  image: imageRefSchema,
  prompt: z.string().max(10_000, 'must be at most 10000 characters'),
  width: sizeSchema.optional(),
  height: sizeSchema.optional(),
});
export type TaskItem = z.infer<typeof taskItemSchema>;

export const taskPackSchema = z
  .strictObject({
    format: z.literal(TASKPACK_FORMAT),
    version: z.literal(TASKPACK_VERSION),
    name: idSchema,
    annotatorsPerItem: z.number().int('must be an integer').min(1, 'must be at least 1').max(100, 'must be at most 100').default(3),
    instructions: z.string().max(100_000).optional(),
    items: z.array(taskItemSchema).min(1, 'must have at least one item'),
  })
  .superRefine((pack, ctx) => {
    const seen = new Map<string, number>();
    pack.items.forEach((item, i) => {
      const first = seen.get(item.id);
      if (first !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['items', i, 'id'], message: `duplicate id "${item.id}" (first used by items[${first}])` });
      } else seen.set(item.id, i);
    });
  });
export type TaskPack = z.infer<typeof taskPackSchema>;
