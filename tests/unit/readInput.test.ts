import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readBytes, readSharedBytes } from '../../src/node/readInput.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'richhf-read-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('readSharedBytes (richhf evaluate hands the predictions to its threads without a copy)', () => {
  it("a file's bytes in a SharedArrayBuffer, as a Buffer (native indexOf); an empty file too", async () => {
    const file = path.join(tmp, 'some.json');
    const bytes = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 31) % 256));
    writeFileSync(file, bytes);
    const read = await readSharedBytes(file);
    if (!read.ok) throw new Error('not read');
    expect(read.bytes.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(Buffer.isBuffer(read.bytes)).toBe(true);
    expect(Buffer.compare(read.bytes, bytes)).toBe(0);
    const empty = path.join(tmp, 'empty.json');
    writeFileSync(empty, '');
    const none = await readSharedBytes(empty);
    expect(none.ok && none.bytes.length).toBe(0);
  });

  it('a named pipe is read whole, the plain way (it has no size to read into)', async () => {
    const fifo = path.join(tmp, 'pipe.json');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const writer = spawn('sh', ['-c', `printf '{"format": 1}' > '${fifo}'`]);
    const written = new Promise((resolve) => writer.on('exit', resolve));
    const read = await readSharedBytes(fifo);
    expect(await written).toBe(0);
    expect(read.ok && Buffer.from(read.bytes).toString()).toBe('{"format": 1}');
  });

  it('a missing file or a folder: the same located error as readBytes', async () => {
    for (const file of [path.join(tmp, 'nope.json'), tmp]) {
      const shared = await readSharedBytes(file);
      expect(shared.ok).toBe(false);
      expect(shared).toEqual(await readBytes(file));
    }
  });
});
