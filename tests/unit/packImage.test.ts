import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packImageReader } from '../../src/node/packImage.ts';

/**
 * The pack's image files as the Parquet export reads them: inside the pack's folder, symlinks
 * followed (to a file or through a folder) and refused when they lead out of it.
 */
const root = mkdtempSync(path.join(os.tmpdir(), 'richhf-pack-image-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const pack = path.join(root, 'pack');
const outside = path.join(root, 'outside');
mkdirSync(path.join(pack, 'images/nested'), { recursive: true });
mkdirSync(path.join(pack, 'folder'));
mkdirSync(outside);
writeFileSync(path.join(pack, 'images/a.png'), 'AAAA');
writeFileSync(path.join(pack, 'images/nested/b.png'), 'BB');
writeFileSync(path.join(pack, 'images/empty.png'), '');
writeFileSync(path.join(outside, 'secret.png'), 'SECRET');
symlinkSync(path.join(pack, 'images/nested/b.png'), path.join(pack, 'images/link-in.png'));
symlinkSync(path.join(outside, 'secret.png'), path.join(pack, 'images/link-out.png'));
symlinkSync(outside, path.join(pack, 'away'));
symlinkSync(path.join(pack, 'images/nested'), path.join(pack, 'here'));
symlinkSync(path.join(pack, 'images/missing.png'), path.join(pack, 'images/dangling.png'));

const text = (bytes: Uint8Array) => Buffer.from(bytes).toString();

describe('packImageReader', () => {
  for (const [how, allocate] of [
    ['into fresh buffers', undefined],
    ['into the allocator’s memory', (size: number) => new Uint8Array(new ArrayBuffer(size + 8), 8, size)],
  ] as const) {
    it(`reads files inside the pack, through symlinks that stay inside (${how})`, async () => {
      const read = packImageReader(pack, allocate);
      expect(text(await read('images/a.png', 'i1'))).toBe('AAAA');
      expect(text(await read('images/nested/b.png', 'i2'))).toBe('BB');
      expect(text(await read('images/link-in.png', 'i3'))).toBe('BB');
      expect(text(await read('here/b.png', 'i4'))).toBe('BB');
      expect(text(await read('images/empty.png', 'i5'))).toBe('');
      // The same folder again, after its real path is known.
      expect(text(await read('images/a.png', 'i6'))).toBe('AAAA');
    });

    it(`refuses files that are missing, folders, or outside the pack through a symlink (${how})`, async () => {
      const read = packImageReader(pack, allocate);
      const refused = (ref: string) => read(ref, 'x').then(
        () => 'read',
        (e: Error) => e.message,
      );
      expect(await refused('images/link-out.png')).toBe(`item "x": image "images/link-out.png": leads outside the pack's folder`);
      expect(await refused('away/secret.png')).toBe(`item "x": image "away/secret.png": leads outside the pack's folder`);
      expect(await refused('images/missing.png')).toBe('item "x": image "images/missing.png": no such file');
      expect(await refused('images/dangling.png')).toBe('item "x": image "images/dangling.png": no such file');
      expect(await refused('nowhere/a.png')).toBe('item "x": image "nowhere/a.png": no such file');
      expect(await refused('folder')).toBe('item "x": image "folder": is a directory');
      expect(await refused('../outside/secret.png')).toMatch(/^item "x": image "\.\.\/outside\/secret\.png": /);
    });
  }
});
