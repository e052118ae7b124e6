import { randomBytes } from 'node:crypto';
import type { Db } from './database.ts';
import { SETTING } from './schema.ts';

/** The key image URLs are signed with; shared through the database by every server on it. */
export async function imageUrlSecret(db: Db): Promise<Buffer> {
  return db.write(async (tx) => {
    const row = await tx.selectFrom('settings').select('value').where('key', '=', SETTING.imageUrlSecret).executeTakeFirst();
    if (row) return Buffer.from(row.value, 'hex');
    const secret = randomBytes(32);
    await tx
      .insertInto('settings')
      .values({ key: SETTING.imageUrlSecret, value: secret.toString('hex') })
      .execute();
    return secret;
  });
}
