import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeGrayPng } from '../../src/core/encode/png.ts';
import type { ImageBytes } from '../../src/core/parquet/imageFile.ts';
import { packImageReader } from '../../src/node/packImage.ts';

/**
 * The pack's image files as the Parquet export reads them: inside the pack's folder, symlinks
 * followed (to a file or through a folder) and refused when they lead out of it; an image whose
 * first 4 KiB tell its size is read whole only when it is written (DeferredBytes.fill).
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

/** The bytes, read now if they were left for later. */
function whole(bytes: ImageBytes): Uint8Array {
  if (bytes instanceof Uint8Array) return bytes;
  const into = new Uint8Array(bytes.length);
  bytes.fill(into);
  return into;
}

const text = (bytes: ImageBytes) => Buffer.from(whole(bytes)).toString();

/** A PNG of over 4 KiB (noise does not compress), whose first bytes tell its size. */
function bigPng(seed: number): Uint8Array {
  let x = seed;
  return encodeGrayPng(
    96,
    96,
    new Uint8Array(96 * 96).map(() => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 24),
  );
}

describe('packImageReader', () => {
  it('reads files inside the pack, through symlinks that stay inside', async () => {
    const read = packImageReader(pack);
    expect(text(await read('images/a.png', 'i1'))).toBe('AAAA');
    expect(text(await read('images/nested/b.png', 'i2'))).toBe('BB');
    expect(text(await read('images/link-in.png', 'i3'))).toBe('BB');
    expect(text(await read('here/b.png', 'i4'))).toBe('BB');
    expect(text(await read('images/empty.png', 'i5'))).toBe('');
    // The same folder again, after its real path is known.
    expect(text(await read('images/a.png', 'i6'))).toBe('AAAA');
  });

  it('refuses files that are missing, folders, or outside the pack through a symlink', async () => {
    const read = packImageReader(pack);
    const refused = (ref: string) =>
      read(ref, 'x').then(
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

  it('leaves an image whose first bytes tell its size to be read when written, and refuses it if it changed meanwhile', async () => {
    const png = bigPng(1);
    expect(png.length).toBeGreaterThan(4096);
    writeFileSync(path.join(pack, 'images/big.png'), png);
    symlinkSync(path.join(pack, 'images/big.png'), path.join(pack, 'images/big-link.png'));
    const read = packImageReader(pack);
    for (const ref of ['images/big.png', 'images/big-link.png']) {
      const later = await read(ref, 'big');
      if (later instanceof Uint8Array) throw new Error(`${ref} was read at once`);
      expect(later.length).toBe(png.length);
      expect(Buffer.from(later.head).equals(Buffer.from(png.subarray(0, 4096)))).toBe(true);
      expect(Buffer.from(whole(later)).equals(Buffer.from(png))).toBe(true);
    }
    // The file changes size, or is replaced by a symlink, after it was opened: refused when written.
    const later = await read('images/big.png', 'big');
    writeFileSync(path.join(pack, 'images/big.png'), bigPng(2).subarray(0, 5000));
    expect(() => whole(later)).toThrow('item "big": image "images/big.png": changed while it was being exported');
    const again = await read('images/big.png', 'big');
    rmSync(path.join(pack, 'images/big.png'));
    symlinkSync(path.join(outside, 'secret.png'), path.join(pack, 'images/big.png'));
    expect(() => whole(again)).toThrow('item "big": image "images/big.png": changed while it was being exported');
    // Bytes over 4 KiB whose start tells no image size are read at once (the export then says what they are not).
    writeFileSync(path.join(pack, 'images/noise.png'), new Uint8Array(6000).fill(7));
    const noise = await read('images/noise.png', 'noise');
    expect(noise instanceof Uint8Array && noise.length).toBe(6000);
  });
});
