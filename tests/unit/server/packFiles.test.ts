import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../../src/server/duration.ts';
import { packFileRef, resolvePackFile } from '../../../src/server/packFiles.ts';
import { excludeParam } from '../../../src/server/routes/annotatorRoutes.ts';

describe('the pack-folder rule for images', () => {
  it('serves what the pack path rule accepts (src/core/formats/packPath.ts, tested there), as segments under the folder', () => {
    expect(packFileRef('images/0001.png')).toEqual({ kind: 'file', segments: ['images', '0001.png'] });
    expect(packFileRef('./images/a%20b.png')).toEqual({ kind: 'file', segments: ['images', 'a b.png'] });
    expect(packFileRef('https://example.org/a.png')).toEqual({ kind: 'url' });
    expect(() => packFileRef('../secret.png')).toThrow(/unchecked/);
  });

  it('on disk: a symlink leading out of the folder is refused; one inside is followed', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'richhf-packfiles-'));
    const pack = path.join(root, 'pack');
    mkdirSync(path.join(pack, 'images'), { recursive: true });
    writeFileSync(path.join(root, 'outside.png'), 'secret');
    writeFileSync(path.join(pack, 'images', 'in.png'), 'ok');
    symlinkSync(path.join(root, 'outside.png'), path.join(pack, 'images', 'out.png'));
    symlinkSync(path.join(pack, 'images', 'in.png'), path.join(pack, 'images', 'alias.png'));
    symlinkSync(root, path.join(pack, 'up'));
    expect(await resolvePackFile(pack, ['images', 'in.png'])).toMatchObject({ ok: true, size: 2 });
    expect(await resolvePackFile(pack, ['images', 'alias.png'])).toMatchObject({ ok: true, path: path.join(pack, 'images', 'in.png') });
    expect(await resolvePackFile(pack, ['images', 'out.png'])).toEqual({ ok: false, reason: 'outside' });
    expect(await resolvePackFile(pack, ['up', 'outside.png'])).toEqual({ ok: false, reason: 'outside' });
    expect(await resolvePackFile(pack, ['images', 'missing.png'])).toEqual({ ok: false, reason: 'missing' });
    expect(await resolvePackFile(pack, ['images'])).toEqual({ ok: false, reason: 'missing' }); // a folder is not a file
  });
});

describe('durations and the exclude list', () => {
  it('--lease durations', () => {
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('30m')).toBe(1_800_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('500ms')).toBe(500);
    for (const bad of ['', '30', 'm', '1.5h', '-1s', '0s', '30 m', '1y']) expect([bad, parseDuration(bad)]).toEqual([bad, undefined]);
    expect(formatDuration(5_400_000)).toBe('1h30m');
    expect(formatDuration(1500)).toBe('1s500ms');
  });

  it('property: a duration printed by formatDuration reads back the same', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 * 86_400_000 }), (ms) => {
        expect(parseDuration(formatDuration(ms))).toBe(ms);
      }),
    );
  });

  it('property: ids percent-encoded and joined by commas come back whole, commas and all', () => {
    let withComma = 0;
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ minLength: 1, maxLength: 12 }), { maxLength: 20 }), (ids) => {
        if (ids.some((id) => id.includes(','))) withComma++;
        const url = `http://h/api/v1/next?exclude=${ids.map(encodeURIComponent).join(',')}`;
        expect(excludeParam(url)).toEqual(new Set(ids));
      }),
      { numRuns: 500 },
    );
    expect(withComma).toBeGreaterThan(0);
  });
});
