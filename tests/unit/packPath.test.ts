import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAllowedImageRef, packImageRef, relativeFilePath } from '../../src/core/formats/index.ts';

const reason = (ref: string) => {
  const r = packImageRef(ref);
  return r.ok ? null : r.reason;
};

describe('pack image references', () => {
  it('accepted: relative paths inside the folder and http(s) URLs, normalized', () => {
    expect(packImageRef('images/0001.png')).toEqual({ ok: true, value: { kind: 'path', path: ['images', '0001.png'], url: 'images/0001.png' } });
    expect(packImageRef('./a/../b/%20x.png')).toEqual({ ok: true, value: { kind: 'path', path: ['b', ' x.png'], url: 'b/%20x.png' } });
    expect(packImageRef('images\\a.png')).toMatchObject({ ok: true, value: { path: ['images', 'a.png'] } });
    expect(packImageRef('HTTPS://Example.org/a b'.replace(' ', '%20'))).toEqual({ ok: true, value: { kind: 'url', url: 'https://example.org/a%20b' } });
    expect(isAllowedImageRef('http://x/a')).toBe(true);
  });

  it('refused, with the reason: the cases of issue 11 and their relatives', () => {
    expect(reason('../x.png')).toBe("goes outside the pack's folder");
    expect(reason('images/../../x.png')).toBe("goes outside the pack's folder");
    expect(reason('%2e%2e/x.png')).toBe("goes outside the pack's folder");
    expect(reason('/etc/passwd')).toBe("is an absolute path; give a path relative to the pack's folder");
    expect(reason('/demo/a.png')).toBe("is an absolute path; give a path relative to the pack's folder");
    expect(reason('/\\host/x.png')).toBe("is an absolute path; give a path relative to the pack's folder");
    expect(reason('//evil.org/a.png')).toBe("is an absolute path; give a path relative to the pack's folder");
    expect(reason('\\\\host\\share\\x.png')).toBe("is an absolute path; give a path relative to the pack's folder");
    expect(reason('C:\\x.png')).toBe("starts with a drive letter; give a path relative to the pack's folder");
    expect(reason('c:x.png')).toBe("starts with a drive letter; give a path relative to the pack's folder");
    expect(reason(' javascript:alert(1)')).toBe('must not contain whitespace (write a space as %20)');
    expect(reason('java\tscript:alert(1)')).toBe('must not contain control characters');
    expect(reason('javascript:alert(1)')).toBe('must be an http(s) URL or a relative path (not a javascript: URL)');
    expect(reason('data:image/png;base64,AAAA')).toBe('must be an http(s) URL or a relative path (not a data: URL)');
    expect(reason('blob:http://x/1')).toBe('must be an http(s) URL or a relative path (not a blob: URL)');
    expect(reason('file:///etc/passwd')).toBe('must be an http(s) URL or a relative path (not a file: URL)');
    expect(reason('https:evil.org/x')).toBe('must be an http(s) URL (http://host/…) or a relative path');
    expect(reason('images/a b.png')).toBe('must not contain whitespace (write a space as %20)');
    expect(reason('a%2Fb.png')).toBe('must not contain an encoded / or \\ (%2F, %5C)');
    expect(reason('a%00.png')).toBe('must not contain control characters');
    expect(reason('a%zz.png')).toBe('has an invalid %-escape');
    expect(reason('img.php?id=3')).toBe("a relative path must not contain '?' or '#' (write them as %3F, %23)");
    expect(reason('images/')).toBeNull(); // the trailing empty segment is dropped
    expect(reason('.')).toBe('names no file');
    expect(reason('')).toBe('must not be empty');
  });

  it('prompt-list file paths: spaces as they are, no %-decoding, the same folder rule', () => {
    expect(relativeFilePath('my cat.png', 'the images folder')).toEqual({ ok: true, value: ['my cat.png'] });
    expect(relativeFilePath('a%2e%2e.png', 'the images folder')).toEqual({ ok: true, value: ['a%2e%2e.png'] });
    expect(relativeFilePath('..\\x.png', 'the images folder')).toEqual({ ok: false, reason: 'goes outside the images folder' });
    expect(relativeFilePath('/etc/passwd', 'the images folder')).toEqual({ ok: false, reason: 'is an absolute path; give a path relative to the images folder' });
  });
});

describe('property: an accepted path never leaves the folder, for the file system nor for the URL parser', () => {
  const segment = fc.oneof(
    fc.constantFrom('..', '.', '', 'a', 'b.png', '%2e%2e', '%2E.', '.%2e', 'a b', ' ', '\t', '\u0000', '%00', 'C:', 'c:', '%2f', '%5C', 'é', '%C3%A9', '~', '%', 'x?y', '#'),
    fc.string({ maxLength: 3 }),
  );
  const refs = fc.tuple(
    fc.array(segment, { maxLength: 6 }),
    fc.array(fc.constantFrom('/', '\\'), { minLength: 6, maxLength: 6 }),
    fc.constantFrom('', '/', '\\', './', 'http://h/', 'javascript:'),
  );
  const folder = path.resolve('/srv/packs/demo');
  const packUrl = 'http://host.test/packs/demo/pack.json';

  it('holds for generated paths with .., mixed separators, whitespace and control characters', () => {
    let accepted = 0;
    let refusedOutside = 0;
    let refusedOther = 0;
    fc.assert(
      fc.property(refs, ([segments, seps, prefix]) => {
        const ref = prefix + segments.map((s, i) => (i === 0 ? s : seps[i]! + s)).join('');
        const r = packImageRef(ref);
        if (!r.ok) {
          if (r.reason.startsWith('goes outside')) refusedOutside++;
          else refusedOther++;
          return;
        }
        accepted++;
        expect(ref).not.toMatch(/\s/);
        if (r.value.kind === 'url') {
          expect(new URL(r.value.url).protocol).toMatch(/^https?:$/);
          return;
        }
        // The file system's view of the normalized path: inside the folder.
        const file = path.resolve(folder, ...r.value.path);
        expect(path.relative(folder, file).split(path.sep)[0]).not.toBe('..');
        expect(file.startsWith(folder + path.sep)).toBe(true);
        // The browser's view, of both the normalized URL and the raw reference: inside the pack's folder.
        expect(new URL(r.value.url, packUrl).pathname.startsWith('/packs/demo/')).toBe(true);
        expect(new URL(ref, packUrl).pathname.startsWith('/packs/demo/')).toBe(true);
        expect(new URL(ref, packUrl).origin).toBe('http://host.test');
      }),
      { numRuns: 3000 },
    );
    expect(accepted).toBeGreaterThan(20);
    expect(refusedOutside).toBeGreaterThan(20);
    expect(refusedOther).toBeGreaterThan(20);
  });

  it('holds for prompt-list file paths', () => {
    let accepted = 0;
    let refused = 0;
    fc.assert(
      fc.property(refs, ([segments, seps, prefix]) => {
        const p = prefix + segments.map((s, i) => (i === 0 ? s : seps[i]! + s)).join('');
        const r = relativeFilePath(p, 'the images folder');
        if (!r.ok) return void refused++;
        accepted++;
        const file = path.resolve(folder, ...r.value);
        expect(file.startsWith(folder + path.sep)).toBe(true);
        // eslint-disable-next-line no-control-regex
        for (const s of r.value) expect(s).not.toMatch(/[/\\:\u0000-\u001f]|^\.\.?$/);
      }),
      { numRuns: 3000 },
    );
    expect(accepted).toBeGreaterThan(20);
    expect(refused).toBeGreaterThan(20);
  });
});
