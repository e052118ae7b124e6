/**
 * The demo comparison pack's two "systems": `base` draws six of the demo pack's scenes with their
 * flaws (scripts/demoScenes.ts), `finetuned` draws the same prompts with the flaws mended (three
 * red balls, a yellow cat on a blue sofa, five digits, a true dial, two eyes, the car's own
 * shadow). The mended scenes are the flawed ones' SVG with the flawed parts replaced, so the two
 * images of a prompt differ only where the flaw is. Coordinates are image pixels, origin top-left.
 */
import { ball, clockNumbers, eye, finger, garbledClock, greyCatRedSofa, sixFingers, threeEyes, twoBlueBalls, floatingShadow, type DemoScene } from './demoScenes.ts';

/** `text` with each [from, to] replaced; every `from` must be there (a scene change must not pass unnoticed). */
function mend(scene: DemoScene, flaw: string, swaps: readonly (readonly [string, string])[]): DemoScene {
  let svg = scene.svg;
  for (const [from, to] of swaps) {
    if (!svg.includes(from)) throw new Error(`"${scene.prompt}": no ${JSON.stringify(from.slice(0, 60))} to replace`);
    svg = svg.split(from).join(to);
  }
  return { ...scene, flaw, svg };
}

const END = '\n</svg>';

export interface DemoPair {
  readonly id: string;
  readonly prompt: string;
  readonly base: DemoScene;
  readonly finetuned: DemoScene;
}

export const demoPairs: readonly DemoPair[] = [
  {
    base: twoBlueBalls,
    finetuned: mend(twoBlueBalls, 'none', [
      ['#bfe0ff', '#ffc2b8'],
      ['#3a86e8', '#e0443a'],
      ['#0d3276', '#7a1410'],
      [END, `\n${ball(436, 366, 40, 'blue')}${END}`],
    ]),
  },
  {
    base: greyCatRedSofa,
    finetuned: mend(greyCatRedSofa, 'none', [
      ['#d9453a', '#3f6fd1'],
      ['#a3271f', '#24489a'],
      ['#e0564a', '#4f7fe0'],
      ['#b3342a', '#2f56a8'],
      ['#8e1f18', '#1c3570'],
      ['#5e130e', '#122550'],
      ['#b8bcc2', '#ffd766'],
      ['#8c9198', '#e8b33a'],
      ['#6a6f76', '#b9841c'],
      ['#7b8087', '#d09a2a'],
      ['#5c6168', '#a9741a'],
      ['#858a91', '#e0a83a'],
    ]),
  },
  { base: sixFingers, finetuned: mend(sixFingers, 'none', [[finger(318, 284, 108, 25), '']]) },
  {
    base: garbledClock,
    finetuned: mend(garbledClock, 'none', [
      [
        clockNumbers(256, 210, 94, ['12', '1', '2', '2', '4', '5', '6', '6', '8', '9', '17', '11']),
        clockNumbers(256, 210, 94, ['12', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11']),
      ],
      ['<path d="M256 210 L262 106" stroke="#1d130c" stroke-width="5" stroke-linecap="round"/>', ''],
    ]),
  },
  {
    base: threeEyes,
    finetuned: mend(threeEyes, 'none', [
      [eye(190, 372), eye(212, 370)],
      [eye(322, 372), eye(300, 370)],
      [eye(256, 366), ''],
    ]),
  },
  {
    base: floatingShadow,
    finetuned: mend(floatingShadow, 'none', [
      ['<ellipse cx="655" cy="452" rx="108" ry="15" fill="#15161a" opacity="0.6" filter="url(#blur4)"/>', ''],
      [
        '<g transform="translate(16 84) scale(0.8)">',
        '<ellipse cx="300" cy="450" rx="200" ry="14" fill="#15161a" opacity="0.6" filter="url(#blur4)"/>\n<g transform="translate(16 84) scale(0.8)">',
      ],
    ]),
  },
].map((p, i) => ({ ...p, id: String(i + 1).padStart(4, '0'), prompt: p.base.prompt }));
