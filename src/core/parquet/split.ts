/**
 * Which split (train, validation, test, …) each item goes to. A rule such as
 * `train=0.9,validation=0.05,test=0.05` with a seed: an item's place in [0, 1) is a hash of the
 * seed and its id alone, so the assignment is the same on every run and an item keeps its split
 * when others are added or removed. The pack's own `items[].split` wins where it is given.
 */
export interface SplitShare {
  readonly name: string;
  /** Share of items, > 0; the shares of a rule add up to 1. */
  readonly share: number;
}

export interface SplitRule {
  readonly shares: readonly SplitShare[];
  /** An unsigned 32-bit integer. */
  readonly seed: number;
}

/** How many of these items take their split from the pack. */
export function packSplitCount(splits: ReadonlyMap<string, string>, items: readonly { readonly id: string }[]): number {
  return items.filter((i) => splits.has(i.id)).length;
}

/** Everything to train: what is used without --split. */
export const ALL_TRAIN: SplitRule = { shares: [{ name: 'train', share: 1 }], seed: 0 };

/** Split names as the hub accepts them (taskpack.ts splitNameSchema). */
const SPLIT_NAME = /^\w+(\.\w+)*$/;

/** `name=share,…` as typed; a message for the first mistake. */
export function parseSplitRule(text: string, seed: number): { ok: true; rule: SplitRule } | { ok: false; message: string } {
  const shares: SplitShare[] = [];
  for (const part of text.split(',')) {
    const m = /^\s*([^=\s]+)\s*=\s*([0-9]*\.?[0-9]+(?:e-?\d+)?)\s*$/i.exec(part);
    if (!m) return { ok: false, message: `"${part}" is not name=share (e.g. train=0.9)` };
    const [, name, number] = m as unknown as [string, string, string];
    if (!SPLIT_NAME.test(name) || name.length > 64) return { ok: false, message: `"${name}" is not a split name (letters, digits, _ and ., e.g. train, validation, test)` };
    if (shares.some((s) => s.name === name)) return { ok: false, message: `split "${name}" is named twice` };
    const share = Number(number);
    if (!(share > 0 && share <= 1)) return { ok: false, message: `the share of "${name}" must be above 0 and at most 1, got ${number}` };
    shares.push({ name, share });
  }
  const sum = shares.reduce((a, s) => a + s.share, 0);
  if (Math.abs(sum - 1) > 1e-9) return { ok: false, message: `the shares must add up to 1, they add up to ${Number(sum.toFixed(12))}` };
  return { ok: true, rule: { shares, seed } };
}

const utf8 = new TextEncoder();

/**
 * FNV-1a (32 bits) of the seed's 4 bytes (little-endian) and the id's UTF-8, then murmur3's
 * finalizer to spread the bits; divided by 2^32 it is the item's place in [0, 1).
 */
export function splitPlace(seed: number, id: string): number {
  let h = 0x811c9dc5;
  const feed = (b: number) => {
    h = Math.imul(h ^ b, 0x01000193);
  };
  for (let i = 0; i < 4; i++) feed((seed >>> (8 * i)) & 0xff);
  for (const b of utf8.encode(id)) feed(b);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 2 ** 32;
}

/** The item's split: the pack's when it names one, else the rule's by the item's place. */
export function assignSplit(rule: SplitRule, id: string, packSplit?: string): string {
  if (packSplit !== undefined) return packSplit;
  if (rule.shares.length === 1) return rule.shares[0]!.name;
  const place = splitPlace(rule.seed, id);
  let upTo = 0;
  for (const s of rule.shares) {
    upTo += s.share;
    if (place < upTo) return s.name;
  }
  return rule.shares[rule.shares.length - 1]!.name; // rounding: the shares' sum can fall a hair short of 1
}
