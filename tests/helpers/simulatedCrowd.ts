/**
 * A simulated crowd for the quality model (issue 17): a pack of items with a hidden truth
 * (scores, regions, misaligned words), some of them gold items carrying that truth as their
 * reference, and annotators of three kinds:
 * - careful: scores within ±1 of the truth, a disc near each true region (most of them), most
 *   true words and few others;
 * - random: every answer at random (scores, points, words);
 * - constant: the same four scores on every image, no points, no words.
 *
 * Everything is drawn from seeded generators (mulberry32), so a seed gives the same crowd. The
 * file-based run (fileCrowd) assigns each ordinary item to K distinct annotators and mixes gold
 * items into each annotator's work at about one in `goldEvery`; a server test drives the same
 * `answer` through HTTP clients and lets the server assign.
 */
import type { AnnotationSource } from '../../src/core/dataset/plan.ts';
import type { Point, RatingRecord } from '../../src/core/formats/annotations.ts';
import type { LikertScores } from '../../src/core/formats/common.ts';
import type { Quality } from '../../src/core/formats/quality.ts';
import type { RatingItem, RatingPack } from '../../src/core/formats/taskpack.ts';
import { SCORE_NAMES } from '../../src/core/formats/names.ts';
import { mulberry32 } from '../../src/core/metrics/jitter.ts';
import { tokenize } from '../../src/core/text/tokenize.ts';

export type Behaviour = 'careful' | 'random' | 'constant';

export interface CrowdOptions {
  readonly seed: number;
  readonly items?: number;
  /** Share of the pack's items that are gold. */
  readonly goldShare?: number;
  readonly annotatorsPerItem?: number;
  readonly goldEvery?: number;
  readonly careful?: number;
  readonly random?: number;
  readonly constant?: number;
}

/** The issue's crowd: 300 items, K = 3, 10% gold; 16 careful, 3 random, 2 constant annotators. */
export const ISSUE_CROWD = { items: 300, goldShare: 0.1, annotatorsPerItem: 3, goldEvery: 10, careful: 16, random: 3, constant: 2 } as const;

export interface Truth {
  readonly points: readonly Point[];
  readonly misalignedTokens: readonly number[];
  readonly scores: LikertScores;
}

export interface Member {
  readonly id: string;
  readonly behaviour: Behaviour;
  /** A constant annotator's one answer. */
  readonly constantScores?: LikertScores;
}

/** What an annotator sends for an item: a record without its item, size and time stamp. */
export type AnswerContent = Pick<RatingRecord, 'points' | 'misalignedTokens' | 'scores' | 'activeMs'>;

export type Random = () => number;

/** Uniform in [0, 1) from a seeded mulberry32. */
export function random(seed: number): Random {
  const next = mulberry32(seed);
  return () => next() / 2 ** 32;
}

const int = (rng: Random, lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
const clampLikert = (x: number) => Math.max(1, Math.min(5, Math.round(x)));
/** Standard normal (Box-Muller). */
const normal = (rng: Random) => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
/** Log-normal time around `medianMs`, in milliseconds. */
const activeMs = (rng: Random, medianMs: number) => Math.round(medianMs * Math.exp(0.4 * normal(rng)));

const WORDS = ['a', 'red', 'cat', 'sitting', 'on', 'blue', 'chair', 'two', 'dogs', 'near', 'tall', 'tree', 'under', 'sky', 'with', 'three', 'balls', 'green', 'house', 'river'];
const SIZES = [
  { width: 512, height: 512 },
  { width: 768, height: 512 },
  { width: 512, height: 768 },
] as const;

function truthFor(rng: Random, width: number, height: number, tokens: number): Truth {
  const r = height / 20;
  const place = (kind: Point['kind']): Point => ({ kind, x: r + rng() * (width - 2 * r), y: r + rng() * (height - 2 * r) });
  const misaligned = rng() < 0.5 ? [] : [...new Set([int(rng, 0, tokens - 1), ...(rng() < 0.4 ? [int(rng, 0, tokens - 1)] : [])])].sort((a, b) => a - b);
  const artifacts = [0, 0, 1, 1, 1, 2, 2, 3][int(rng, 0, 7)]!;
  const points = [...Array.from({ length: artifacts }, () => place('artifact')), ...(misaligned.length > 0 && rng() < 0.8 ? [place('misalignment')] : [])];
  const base = int(rng, 1, 5);
  const scores = Object.fromEntries(SCORE_NAMES.map((n) => [n, clampLikert(base + int(rng, -1, 1))])) as LikertScores;
  return { points, misalignedTokens: misaligned, scores };
}

/** The pack (the first `goldShare` of every 1 / goldShare items are gold) and each item's truth. */
export function simulatedPack(options: CrowdOptions): { pack: RatingPack; truth: Map<string, Truth> } {
  const o = { ...ISSUE_CROWD, ...options };
  const rng = random(o.seed * 7919 + 1);
  const truth = new Map<string, Truth>();
  const goldStride = Math.round(1 / o.goldShare);
  const items: RatingItem[] = Array.from({ length: o.items }, (_, i) => {
    const id = `item-${String(i + 1).padStart(4, '0')}`;
    const size = SIZES[int(rng, 0, SIZES.length - 1)]!;
    const prompt = Array.from({ length: int(rng, 5, 12) }, () => WORDS[int(rng, 0, WORDS.length - 1)]).join(' ');
    const t = truthFor(rng, size.width, size.height, tokenize(prompt).length);
    truth.set(id, t);
    const gold = i % goldStride === 0 ? { gold: { points: [...t.points], misalignedTokens: [...t.misalignedTokens], scores: { ...t.scores } } } : {};
    return { id, image: `images/${id}.png`, prompt, ...size, ...gold };
  });
  return {
    pack: { format: 'richhf-taskpack', version: 2, name: `crowd-${o.seed}`, annotatorsPerItem: o.annotatorsPerItem, quality: { training: 0, goldEvery: o.goldEvery }, items },
    truth,
  };
}

/** The crowd's members, in a seeded order (so ids do not give the behaviour away): "annotator-01" … */
export function crowdMembers(options: CrowdOptions): Member[] {
  const o = { ...ISSUE_CROWD, ...options };
  const rng = random(o.seed * 104729 + 2);
  const kinds: Behaviour[] = [...Array<Behaviour>(o.careful).fill('careful'), ...Array<Behaviour>(o.random).fill('random'), ...Array<Behaviour>(o.constant).fill('constant')];
  for (let i = kinds.length - 1; i > 0; i--) {
    const j = int(rng, 0, i);
    [kinds[i], kinds[j]] = [kinds[j]!, kinds[i]!];
  }
  return kinds.map((behaviour, i) => {
    const id = `annotator-${String(i + 1).padStart(2, '0')}`;
    if (behaviour !== 'constant') return { id, behaviour };
    const v = int(rng, 2, 4);
    return { id, behaviour, constantScores: { plausibility: v, alignment: v, aesthetics: clampLikert(v + int(rng, -1, 1)), overall: v } };
  });
}

/** `member`'s answer to an item of `width` x `height` image pixels whose prompt has `tokens` tokens. */
export function answer(member: Member, item: { width: number; height: number; prompt: string }, truth: Truth, rng: Random): AnswerContent {
  const { width, height } = item;
  const tokens = tokenize(item.prompt).length;
  const r = height / 20;
  const clampX = (x: number) => Math.max(0, Math.min(width, x));
  const clampY = (y: number) => Math.max(0, Math.min(height, y));
  switch (member.behaviour) {
    case 'careful': {
      const scores = Object.fromEntries(SCORE_NAMES.map((n) => [n, clampLikert(truth.scores[n] + [-1, 0, 0, 0, 1][int(rng, 0, 4)]!)])) as LikertScores;
      const points: Point[] = [];
      for (const p of truth.points) if (rng() < 0.9) points.push({ kind: p.kind, x: clampX(p.x + (normal(rng) * r) / 3), y: clampY(p.y + (normal(rng) * r) / 3) });
      if (rng() < 0.1) points.push({ kind: 'artifact', x: rng() * width, y: rng() * height });
      const marked = new Set<number>();
      for (const t of truth.misalignedTokens) if (rng() < 0.8) marked.add(t);
      for (let t = 0; t < tokens; t++) if (rng() < 0.02) marked.add(t);
      return { scores, points, misalignedTokens: [...marked].sort((a, b) => a - b), activeMs: activeMs(rng, 20_000) };
    }
    case 'random': {
      const scores = Object.fromEntries(SCORE_NAMES.map((n) => [n, int(rng, 1, 5)])) as LikertScores;
      const points: Point[] = Array.from({ length: int(rng, 0, 3) }, () => ({ kind: rng() < 0.5 ? 'artifact' : 'misalignment', x: rng() * width, y: rng() * height }));
      const marked: number[] = [];
      for (let t = 0; t < tokens; t++) if (rng() < 0.15) marked.push(t);
      return { scores, points, misalignedTokens: marked, activeMs: activeMs(rng, 18_000) };
    }
    case 'constant':
      return { scores: { ...member.constantScores! }, points: [], misalignedTokens: [], activeMs: activeMs(rng, 15_000) };
  }
}

/**
 * The file-based run: each ordinary item goes to K distinct annotators (at random among those
 * with the fewest items so far), and each annotator also answers gold items, none twice, about
 * one in `goldEvery` of their items. One annotation file per annotator.
 */
export function fileCrowd(options: CrowdOptions): { pack: RatingPack; truth: Map<string, Truth>; members: Member[]; files: AnnotationSource[] } {
  const o = { ...ISSUE_CROWD, ...options };
  const { pack, truth } = simulatedPack(o);
  const members = crowdMembers(o);
  const rng = random(o.seed * 15485863 + 3);
  const work = new Map<string, RatingItem[]>(members.map((m) => [m.id, []]));
  const gold = pack.items.filter((i) => i.gold);
  for (const item of pack.items.filter((i) => !i.gold)) {
    const order = [...members];
    for (let i = order.length - 1; i > 0; i--) {
      const j = int(rng, 0, i);
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    order.sort((a, b) => work.get(a.id)!.length - work.get(b.id)!.length); // stable: ties stay shuffled
    for (const m of order.slice(0, o.annotatorsPerItem)) work.get(m.id)!.push(item);
  }
  const files = members.map((m, k): AnnotationSource => {
    const mine = random(o.seed * 31 + k + 4);
    const ordinary = work.get(m.id)!;
    const goldCount = Math.min(gold.length, Math.round(ordinary.length / (o.goldEvery - 1)));
    const pool = [...gold];
    const items = [...ordinary];
    for (let g = 0; g < goldCount; g++) {
      const picked = pool.splice(int(mine, 0, pool.length - 1), 1)[0]!;
      items.splice(int(mine, 0, items.length), 0, picked);
    }
    const start = Date.parse('2026-12-01T09:00:00Z');
    const annotations: RatingRecord[] = items.map((item, i) => ({
      itemId: item.id,
      imageWidth: item.width!,
      imageHeight: item.height!,
      ...answer(m, { width: item.width!, height: item.height!, prompt: item.prompt }, truth.get(item.id)!, mine),
      submittedAt: new Date(start + i * 60_000).toISOString(),
    }));
    return { name: `${m.id}.json`, file: { format: 'richhf-annotations', version: 1, annotator: m.id, pack: pack.name, annotations } };
  });
  return { pack, truth, members, files };
}

/** How the flags of a quality report did: the unreliable annotators named, and careful ones named by mistake. */
export function flagOutcome(quality: Quality, members: readonly Member[]): { unreliable: number; caught: string[]; falseFlags: string[] } {
  const flagged = new Set(quality.annotators.filter((a) => a.flags.length > 0).map((a) => a.id));
  const bad = members.filter((m) => m.behaviour !== 'careful');
  return {
    unreliable: bad.length,
    caught: bad.filter((m) => flagged.has(m.id)).map((m) => m.id),
    falseFlags: members.filter((m) => m.behaviour === 'careful' && flagged.has(m.id)).map((m) => m.id),
  };
}
