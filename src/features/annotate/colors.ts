/**
 * How the two kinds of point look, everywhere in the app. They differ in more than hue, so that
 * colour-blind annotators and busy images still tell them apart: an artifact is orange-red with a
 * solid ring and a × at its centre; a misalignment is deep blue with a dashed ring and a ◆ at its
 * centre. The two colours also differ in luminance, also for protanopes, deuteranopes and
 * tritanopes (contrast ≥ 2.5:1 after simulation: tests/unit/colors.test.ts). Every stroke lies on a
 * white halo edged in near-black, so it shows on light, dark and busy images alike.
 */
import type { PointKind } from '../../core/formats/index.ts';

export const KIND_COLOR: Record<PointKind, string> = { artifact: '#ff6a3d', misalignment: '#142d8f' };
export const KIND_FILL: Record<PointKind, string> = { artifact: 'rgba(255,106,61,0.22)', misalignment: 'rgba(20,45,143,0.24)' };
export const KIND_LABEL: Record<PointKind, string> = { artifact: 'Artifact', misalignment: 'Misalignment' };
/** The ring's dash pattern in screen pixels (dash, gap); null: solid. */
export const KIND_DASH: Record<PointKind, readonly [number, number] | null> = { artifact: null, misalignment: [7, 5] };
export const KIND_CENTRE: Record<PointKind, 'cross' | 'diamond'> = { artifact: 'cross', misalignment: 'diamond' };
/** The halo under every stroke, and the ring that marks the selected point. */
export const HALO = { light: 'rgba(255,255,255,0.95)', dark: 'rgba(0,0,0,0.62)', selected: '#ffb300' } as const;
