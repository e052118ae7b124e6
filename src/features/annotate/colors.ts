import type { PointKind } from '../../core/formats/index.ts';

/** Artifact points are red, misalignment points blue, everywhere in the app. */
export const KIND_COLOR: Record<PointKind, string> = { artifact: '#e53935', misalignment: '#1e6fd9' };
export const KIND_FILL: Record<PointKind, string> = { artifact: 'rgba(229,57,53,0.28)', misalignment: 'rgba(30,111,217,0.32)' };
export const KIND_LABEL: Record<PointKind, string> = { artifact: 'Artifact', misalignment: 'Misalignment' };
