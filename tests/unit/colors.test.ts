/**
 * The two point colours stay apart for colour-blind annotators: each colour is mapped through
 * the Machado, Oliveira & Fernandes (2009) simulation of protanopia, deuteranopia and tritanopia
 * (severity 1, applied to linear RGB), and the two results must differ in luminance (WCAG
 * contrast ratio), which no simulated hue loss can take away. Shape tells them apart as well
 * (tests/e2e/marks.spec.ts checks the pixels).
 */
import { describe, expect, it } from 'vitest';
import { KIND_COLOR } from '../../src/features/annotate/colors.ts';

type Mat = readonly [readonly number[], readonly number[], readonly number[]];
const SIMULATIONS: Record<string, Mat> = {
  'normal vision': [
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
  ],
  protanopia: [
    [0.152286, 1.052583, -0.204868],
    [0.114503, 0.786281, 0.099216],
    [-0.003882, -0.048116, 1.051998],
  ],
  deuteranopia: [
    [0.367322, 0.860646, -0.227968],
    [0.280085, 0.672501, 0.047413],
    [-0.01182, 0.04294, 0.968881],
  ],
  tritanopia: [
    [1.255528, -0.076749, -0.178779],
    [-0.078411, 0.930809, 0.147602],
    [0.004733, 0.691367, 0.3039],
  ],
};

function linearRgb(hex: string): number[] {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) throw new Error(`not a #rrggbb colour: ${hex}`);
  return m.slice(1).map((h) => {
    const s = parseInt(h, 16) / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
}

function simulatedLuminance(hex: string, m: Mat): number {
  const c = linearRgb(hex);
  const [r, g, b] = m.map((row) => Math.min(1, Math.max(0, row[0]! * c[0]! + row[1]! * c[1]! + row[2]! * c[2]!)));
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

const contrast = (a: number, b: number) => (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);

describe('point colours under colour-blindness simulations', () => {
  it('the simulation on hand-checked colours', () => {
    // Hand check: red (1,0,0) -> luminance 0.2126*0.367322 + 0.7152*0.280085 + 0.0722*0 (clamped) = 0.2784.
    expect(simulatedLuminance('#ff0000', SIMULATIONS.deuteranopia!)).toBeCloseTo(0.2784, 3);
    expect(simulatedLuminance('#ffffff', SIMULATIONS.protanopia!)).toBeCloseTo(1, 2);
  });

  for (const [name, m] of Object.entries(SIMULATIONS)) {
    it(`artifact and misalignment differ in luminance for ${name} (contrast ratio ≥ 2.5)`, () => {
      const ratio = contrast(simulatedLuminance(KIND_COLOR.artifact, m), simulatedLuminance(KIND_COLOR.misalignment, m));
      expect(ratio).toBeGreaterThanOrEqual(2.5);
    });
  }
});
