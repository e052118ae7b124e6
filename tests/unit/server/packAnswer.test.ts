import { describe, expect, it } from 'vitest';
import { packAnswerPieces } from '../../../src/server/packAnswer.ts';
import { makeLargePack } from '../../../scripts/largePack.ts';

/** GET /pack's answer in pieces: joined, it parses to exactly {pack, imageUrls}. */
describe('pack answer pieces', () => {
  it('2,500 items in pieces of 1,000: the joined text is the pack and every image URL; quotes and unicode survive', () => {
    const pack = makeLargePack(2500, 3, (i) => ({ image: `images/${i}.png`, width: 8, height: 8 }), 'pieces "quoted" ünï');
    pack.items[1] = { ...pack.items[1]!, id: 'an "odd" id ☃', prompt: 'line\nbreak' };
    const url = (id: string) => `/api/v1/images/${encodeURIComponent(id)}?exp=1&sig=x`;
    const pieces = [...packAnswerPieces(pack, url)];
    expect(pieces.length).toBe(9); // the head, 3 pieces of items, the middle, 3 pieces of URLs, the end
    const answer = JSON.parse(pieces.join(''));
    expect(answer.pack).toEqual(pack);
    expect(answer.imageUrls).toEqual(Object.fromEntries(pack.items.map((it) => [it.id, url(it.id)])));
  });
});
