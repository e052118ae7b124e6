/**
 * `node --import tsx tests/helpers/seedSecret.ts DB HEX`: makes (or migrates) a richhf database
 * and gives it a fixed server secret, so what the server draws under it (gold positions and picks,
 * served ids) is the same on every run. A process of its own: an SQLite file stays locked by the
 * process that opened it until that process exits (src/server/db/sqlite.ts).
 */
import { openDatabase } from '../../src/server/db/database.ts';
import { migrate } from '../../src/server/db/migrate.ts';
import { SETTING } from '../../src/server/db/schema.ts';

const [url, hex] = process.argv.slice(2);
if (!url || !hex || !/^[0-9a-f]{64}$/.test(hex)) throw new Error('usage: seedSecret.ts DB HEX (64 hex digits)');
const db = await openDatabase(url);
await migrate(db);
await db.kysely.insertInto('settings').values({ key: SETTING.imageUrlSecret, value: hex }).execute();
await db.close();
