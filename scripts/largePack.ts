/**
 * Large task packs for benchmarks and tests: N items with varied, realistic prompts built from word
 * lists by a seeded PRNG, so the same (n, seed) always gives the same pack. Images are supplied by
 * the caller (usually the demo images, cycled). No Node or DOM imports: benches, unit tests and
 * Playwright tests can all build a pack in memory.
 */
import { TASKPACK_FORMAT, taskPackVersionFor, type RatingPack } from '../src/core/formats/taskpack.ts';
import { mulberry32 } from '../src/core/metrics/jitter.ts';

export interface LargePackImage {
  readonly image: string;
  /** Image pixels; leave out to make the app read the size from the image. */
  readonly width?: number;
  readonly height?: number;
}

export type ImageFor = (index: number) => string | LargePackImage;

/**
 * Seeded uniform numbers in [0, 1): core's mulberry32 (the evaluation's jitter generator)
 * divided by 2^32. Good enough for test data, not for crypto.
 */
export function seededRandom(seed: number): () => number {
  const next = mulberry32(seed);
  return () => next() / 4294967296;
}

/** Cycles through a fixed list of images: item i gets images[i % images.length]. */
export function cycleImages(images: readonly LargePackImage[]): ImageFor {
  if (images.length === 0) throw new Error('cycleImages needs at least one image');
  return (i) => images[i % images.length]!;
}

/**
 * A pack of `n` items with ids "0001".. (zero-padded to at least 4 digits, so they sort), prompts
 * from `seed`, and images from `imageFor(index)`.
 */
export function makeLargePack(n: number, seed: number, imageFor: ImageFor, name = `large-${n}`): RatingPack {
  if (!Number.isInteger(n) || n < 1) throw new Error(`item count must be a positive integer, got ${n}`);
  const rand = seededRandom(seed);
  const digits = Math.max(4, String(n).length);
  const items: RatingPack['items'] = [];
  for (let i = 0; i < n; i++) {
    const ref = imageFor(i);
    const image = typeof ref === 'string' ? { image: ref } : ref;
    items.push({ id: String(i + 1).padStart(digits, '0'), prompt: makePrompt(rand), ...image });
  }
  return {
    format: TASKPACK_FORMAT,
    version: taskPackVersionFor({ items }),
    name,
    annotatorsPerItem: 3,
    instructions: 'Generated pack for benchmarks and tests. Mark artifacts (red) and misalignments (blue), the misaligned words, and give the four scores.',
    items,
  };
}

// --- prompt generation -------------------------------------------------------------------

interface Noun {
  readonly one: string;
  readonly many: string;
}
const n = (one: string, many = `${one}s`): Noun => ({ one, many });

const animals = [
  n('cat'),
  n('dog'),
  n('fox', 'foxes'),
  n('horse'),
  n('owl'),
  n('rabbit'),
  n('golden retriever'),
  n('corgi'),
  n('tiger'),
  n('penguin'),
  n('elephant'),
  n('hummingbird'),
  n('koala'),
  n('red panda'),
  n('goldfish', 'goldfish'),
  n('sheep', 'sheep'),
];
const people = [
  n('old man', 'old men'),
  n('young woman', 'young women'),
  n('little girl'),
  n('astronaut'),
  n('chef'),
  n('samurai', 'samurai'),
  n('knight'),
  n('ballerina'),
  n('robot'),
  n('wizard'),
  n('street musician'),
  n('fisherman', 'fishermen'),
];
const objects = [
  n('ball'),
  n('apple'),
  n('teacup'),
  n('vase'),
  n('book'),
  n('candle'),
  n('lantern'),
  n('umbrella'),
  n('bicycle'),
  n('guitar'),
  n('clock'),
  n('sailboat'),
  n('cupcake'),
  n('sunflower'),
  n('pumpkin'),
  n('bottle'),
  n('chair'),
  n('mushroom'),
];
const places = [
  'on a wooden table',
  'in a sunny meadow',
  'on a rainy city street',
  'in a cozy living room',
  'on a snowy mountain top',
  'at the beach at sunset',
  'in a neon-lit alley',
  'in an enchanted forest',
  'on the surface of the moon',
  'in a busy Tokyo market',
  'next to a quiet lake',
  'inside a Victorian library',
  'on a kitchen counter',
  'in a field of lavender',
  'under a starry night sky',
  'on a red velvet sofa',
];
const actions = [
  'sleeping',
  'reading a newspaper',
  'playing the violin',
  'jumping',
  'drinking coffee',
  'riding a skateboard',
  'looking out of a window',
  'dancing',
  'eating noodles',
  'wearing a tiny hat',
  'holding an umbrella',
  'running',
];
const colors = ['red', 'blue', 'green', 'yellow', 'purple', 'orange', 'pink', 'black', 'white', 'silver', 'golden', 'turquoise'];
const adjectives = ['fluffy', 'tiny', 'giant', 'ancient', 'futuristic', 'happy', 'grumpy', 'shiny', 'rusty', 'elegant', 'cute', 'majestic', 'weathered', 'glowing'];
const styles = [
  'a photo',
  'an oil painting',
  'a watercolor painting',
  'a pencil sketch',
  'a 3D render',
  'a pixel art illustration',
  'an anime still',
  'a vintage postcard',
  "a children's book illustration",
  'a low-poly model',
  'a studio portrait',
  'a macro photograph',
];
const lighting = ['golden hour lighting', 'soft morning light', 'dramatic rim light', 'overcast sky', 'cinematic lighting', 'candlelight', 'harsh midday sun', 'moonlight'];
const tags = [
  'highly detailed',
  '4k',
  'trending on artstation',
  'sharp focus',
  'bokeh',
  'octane render',
  'award-winning',
  'masterpiece',
  'wide angle',
  '35mm film',
  'HDR',
  'intricate',
];
const counts = ['two', 'three', 'four', 'five', 'six', 'seven'];

type Rand = () => number;
const pick = <T>(rand: Rand, list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
const article = (word: string): string => (/^[aeiou]/i.test(word) ? `an ${word}` : `a ${word}`);
const capitalize = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

function tagList(rand: Rand): string {
  const count = 1 + Math.floor(rand() * 4);
  const chosen = new Set<string>();
  while (chosen.size < count) chosen.add(pick(rand, tags));
  return [...chosen].join(', ');
}

const templates: readonly ((rand: Rand) => string)[] = [
  (r) => `${article(`${pick(r, adjectives)} ${pick(r, animals).one}`)} ${pick(r, actions)} ${pick(r, places)}`,
  (r) => `${pick(r, counts)} ${pick(r, colors)} ${pick(r, objects).many} ${pick(r, places)}`,
  (r) => `${pick(r, styles)} of ${article(pick(r, people).one)} ${pick(r, actions)} ${pick(r, places)}, ${pick(r, lighting)}`,
  (r) => `${capitalize(article(`${pick(r, colors)} ${pick(r, animals).one}`))} and ${article(`${pick(r, colors)} ${pick(r, objects).one}`)} ${pick(r, places)}. ${tagList(r)}`,
  (r) => `A "${pick(r, adjectives)}" poster: ${pick(r, counts)} ${pick(r, animals).many} ${pick(r, places)}, with ${article(pick(r, objects).one)}.`,
  (r) => `close-up of ${article(`${pick(r, adjectives)} ${pick(r, people).one}`)}'s face; ${pick(r, lighting)}, ${tagList(r)}`,
  (r) => `${pick(r, styles)} of ${pick(r, counts)} ${pick(r, people).many} with ${article(pick(r, animals).one)} ${pick(r, places)}!`,
  (r) => `what if ${article(pick(r, animals).one)} was ${pick(r, actions)} ${pick(r, places)}? ${pick(r, styles)}, ${tagList(r)}`,
  (r) => `${article(`${pick(r, adjectives)} ${pick(r, colors)} ${pick(r, objects).one}`)}`,
];

/** One prompt: a template and its words drawn from `rand`. */
export function makePrompt(rand: Rand): string {
  return pick(rand, templates)(rand);
}
