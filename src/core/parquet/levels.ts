import type { PageData } from 'hyparquet-writer/src/types.js';

/**
 * The leaf values and Dremel levels of the dataset's columns, made straight from the rows: what
 * hyparquet-writer's encodeNestedValues (dremel.js) gives for the same data, value for value, but
 * without first building each annotation and point as an object of its own, nor walking the
 * schema for every value (for 5,000 items that walk was about 0.7 s of the writer thread's
 * profile). columns.ts says which shape each column has; tests/unit/parquetLevels.test.ts holds
 * each shape to encodeNestedValues.
 *
 * Every field of the schema is OPTIONAL (feature.ts), so a present value adds one definition
 * level at each struct and list on its path, and a list's elements add one more (the `list`
 * group, REPEATED). Repetition levels: 0 at a row's first value, 1 at the next element of the
 * outer list (`annotations`), 2 at the next element of a list inside an annotation. An empty
 * list gives one `undefined` value at the list's own level, as dremel.js writes it.
 */
class Leaf {
  readonly values: unknown[] = [];
  readonly definitionLevels: number[] = [];
  readonly repetitionLevels: number[] = [];

  constructor(readonly maxDefinitionLevel: number) {}

  /** A value that may be absent, `present` levels deep when it is there (one less when not). */
  value(v: unknown, present: number, repetition: number): void {
    this.values.push(v);
    this.definitionLevels.push(v === null || v === undefined ? present - 1 : present);
    this.repetitionLevels.push(repetition);
  }

  /** An empty list (or a list's absent parent) `level` deep. */
  empty(level: number, repetition: number): void {
    this.values.push(undefined);
    this.definitionLevels.push(level);
    this.repetitionLevels.push(repetition);
  }

  pageData(): PageData {
    const { values, definitionLevels, repetitionLevels, maxDefinitionLevel } = this;
    return { values, definitionLevels, repetitionLevels, maxDefinitionLevel };
  }
}

/** A top-level value (definition level 1; no repetition levels, as dremel.js leaves them for a flat column). */
export function flatLeaf<R>(rows: readonly R[], get: (r: R) => unknown): PageData {
  const values = rows.map(get);
  const definitionLevels = values.map((v) => (v === null || v === undefined ? 0 : 1));
  return { values, definitionLevels, repetitionLevels: [], maxDefinitionLevel: 1 };
}

/** A field of a top-level struct that is always present (the images' `bytes` and `path`). */
export function structFieldLeaf<R>(rows: readonly R[], get: (r: R) => unknown): PageData {
  const leaf = new Leaf(2);
  for (const r of rows) leaf.value(get(r), 2, 0);
  return leaf.pageData();
}

/** The elements of a top-level list that is always present (`tokens`, `token_votes`). */
export function listLeaf<R>(rows: readonly R[], get: (r: R) => readonly unknown[]): PageData {
  const leaf = new Leaf(3);
  for (const r of rows) {
    const list = get(r);
    if (list.length === 0) leaf.empty(1, 0);
    for (let i = 0; i < list.length; i++) leaf.value(list[i], 3, i === 0 ? 0 : 1);
  }
  return leaf.pageData();
}

/**
 * The three leaves under a top-level list of structs that is always present (`annotations`):
 * a field of each struct (`annotator`, the scores; `get(item, index, row)`), the elements of a
 * list in each struct (`misaligned_tokens`), and a field of the structs of such a list
 * (`points`' kind, x and y). `items(row)` gives the row's structs.
 */
export function nestedValueLeaf<R, A>(rows: readonly R[], items: (r: R) => readonly A[], get: (a: A, index: number, r: R) => unknown): PageData {
  const leaf = new Leaf(4);
  for (const r of rows) {
    const list = items(r);
    if (list.length === 0) leaf.empty(1, 0);
    for (let i = 0; i < list.length; i++) leaf.value(get(list[i]!, i, r), 4, i === 0 ? 0 : 1);
  }
  return leaf.pageData();
}

export function nestedListLeaf<R, A>(rows: readonly R[], items: (r: R) => readonly A[], list: (a: A) => readonly unknown[]): PageData {
  return nestedLeaf(rows, items, list, (v) => v, 6);
}

export function nestedStructFieldLeaf<R, A, P>(rows: readonly R[], items: (r: R) => readonly A[], list: (a: A) => readonly P[], get: (p: P) => unknown): PageData {
  return nestedLeaf(rows, items, list, get, 7);
}

/** A leaf two lists deep (a list inside each item of a row's list): `maxDefinition` 6 for a list of values, 7 for a field of a list of structs. */
function nestedLeaf<R, A, P>(rows: readonly R[], items: (r: R) => readonly A[], list: (a: A) => readonly P[], get: (p: P) => unknown, maxDefinition: 6 | 7): PageData {
  const leaf = new Leaf(maxDefinition);
  for (const r of rows) {
    const outer = items(r);
    if (outer.length === 0) leaf.empty(1, 0);
    for (let i = 0; i < outer.length; i++) {
      const inner = list(outer[i]!);
      const first = i === 0 ? 0 : 1;
      if (inner.length === 0) leaf.empty(4, first);
      for (let j = 0; j < inner.length; j++) leaf.value(get(inner[j]!), maxDefinition, j === 0 ? first : 2);
    }
  }
  return leaf.pageData();
}
