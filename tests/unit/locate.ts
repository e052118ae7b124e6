import { expect } from 'vitest';
import type { LocatedError } from '../../src/core/formats/index.ts';

/** `items[3]["a b"].x` -> ['items', 3, 'a b', 'x']: the inverse of formatPath. */
export function pathKeys(p: string): (string | number)[] {
  const keys: (string | number)[] = [];
  const re = /(?:^|\.)([A-Za-z_$][\w$-]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/gy;
  let m: RegExpExecArray | null;
  let at = 0;
  while (at < p.length && (m = re.exec(p))) {
    keys.push(m[1] ?? (m[2] !== undefined ? Number(m[2]) : (JSON.parse(m[3]!) as string)));
    at = re.lastIndex;
  }
  if (at !== p.length) throw new Error(`not a path: ${p}`);
  return keys;
}

/**
 * Every error is about `file` and points into `doc`: the path names an existing place, or a
 * missing field of an existing object (a "required" field). That is what lets a person find it.
 */
export function expectLocatedIn(doc: unknown, errors: readonly LocatedError[], file: string): void {
  expect(errors.length).toBeGreaterThan(0);
  for (const e of errors) {
    expect(e.file).toBe(file);
    expect(e.message.length).toBeGreaterThan(0);
    const keys = pathKeys(e.path);
    let at: unknown = doc;
    keys.forEach((k, i) => {
      const isLast = i === keys.length - 1;
      expect(at !== null && typeof at === 'object', `${e.path}: ${String(k)} inside a container`).toBe(true);
      const has = Object.prototype.hasOwnProperty.call(at, k);
      if (!isLast) expect(has, `${e.path}: ${String(k)} exists`).toBe(true);
      at = (at as Record<string | number, unknown>)[k];
    });
  }
}
