import type { PointKind } from '../../core/formats/index.ts';
import { HALO, KIND_CENTRE, KIND_COLOR, KIND_DASH, KIND_FILL } from './colors.ts';

/** A small picture of a point of `kind`, as the canvas draws it (ring and centre mark), for buttons and lists. */
export function KindMark({ kind, size = 16 }: { kind: PointKind; size?: number }) {
  const dash = KIND_DASH[kind];
  return (
    <svg className="kind-mark" width={size} height={size} viewBox="-10 -10 20 20" aria-hidden="true" focusable="false">
      <circle r={8} fill={KIND_FILL[kind]} stroke={HALO.dark} strokeWidth={3.4} />
      <circle r={8} fill="none" stroke={HALO.light} strokeWidth={2} />
      <circle r={8} fill="none" stroke={KIND_COLOR[kind]} strokeWidth={1.8} strokeDasharray={dash ? '3.6 2.7' : undefined} />
      {KIND_CENTRE[kind] === 'cross' ? (
        <path d="M-3.2 -3.2 L3.2 3.2 M3.2 -3.2 L-3.2 3.2" stroke={KIND_COLOR[kind]} strokeWidth={2} strokeLinecap="round" />
      ) : (
        <path d="M0 -3.8 L3.2 0 L0 3.8 L-3.2 0 Z" fill={KIND_COLOR[kind]} />
      )}
    </svg>
  );
}
