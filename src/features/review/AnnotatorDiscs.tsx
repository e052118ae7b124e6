/**
 * Each annotator's points in the item view, as SVG in image pixels: a disc of the dataset's radius
 * (H/20) in the annotator's colour, on a white halo edged in near-black so it shows on sky, snow
 * or night alike; solid with a × for artifacts, dashed with a ◆ for misalignments (as in the
 * workspace). A gold item's reference is one more layer, its rings dotted in near-black. Strokes
 * keep their screen width at any size of the view. One <circle> per point (with data-kind), so
 * tests and tools can count them; halos and marks are paths.
 */
import type { Point } from '../../core/formats/index.ts';

/** One layer of discs: an annotator's points (data-annotator) or a gold item's reference (data-reference). */
export interface DiscLayer {
  readonly id: string;
  readonly points: readonly Point[];
  readonly colour: string;
  readonly reference?: boolean;
}

/** The reference layer's colour: near-black on the white halo, apart from every annotator colour. */
export const REFERENCE_COLOUR = '#222222';

const HALO_DARK = 'rgba(0,0,0,0.7)';
const HALO_LIGHT = 'rgba(255,255,255,0.95)';

const ringPath = (x: number, y: number, r: number) => `M${x - r} ${y}a${r} ${r} 0 1 0 ${2 * r} 0a${r} ${r} 0 1 0 ${-2 * r} 0`;

function markPath(kind: string, x: number, y: number, m: number): string {
  return kind === 'artifact' ? `M${x - m} ${y - m}L${x + m} ${y + m}M${x + m} ${y - m}L${x - m} ${y + m}` : `M${x} ${y - 1.2 * m}L${x + m} ${y}L${x} ${y + 1.2 * m}L${x - m} ${y}Z`;
}

export function AnnotatorDiscs({ width, height, layers }: { width: number; height: number; layers: readonly DiscLayer[] }) {
  const r = height / 20;
  const m = r * 0.2;
  return (
    <svg className="rv-overlay" viewBox={`0 0 ${width} ${height}`} preserveAspectRatio="none" aria-hidden="true">
      {layers.map((layer) => {
        const colour = layer.colour;
        return (
          <g
            key={`${layer.reference ? 'reference' : 'annotator'}:${layer.id}`}
            data-annotator={layer.reference ? undefined : layer.id}
            data-reference={layer.reference ? '' : undefined}
            className="rv-discs"
          >
            {layer.points.map((p, j) => (
              <g key={j}>
                <path d={ringPath(p.x, p.y, r)} fill="none" stroke={HALO_DARK} strokeWidth={8} vectorEffect="non-scaling-stroke" />
                <path d={ringPath(p.x, p.y, r)} fill="none" stroke={HALO_LIGHT} strokeWidth={5} vectorEffect="non-scaling-stroke" />
                <circle
                  data-kind={p.kind}
                  cx={p.x}
                  cy={p.y}
                  r={r}
                  fill={colour}
                  fillOpacity={0.12}
                  stroke={colour}
                  strokeWidth={2.5}
                  strokeDasharray={layer.reference ? '2 4' : p.kind === 'misalignment' ? '7 5' : undefined}
                  vectorEffect="non-scaling-stroke"
                />
                {/* The centre mark on a dark, then a light halo, then in colour: visible on any image. */}
                {(
                  [
                    [HALO_DARK, 6],
                    [HALO_LIGHT, 3.5],
                    [colour, 2],
                  ] as const
                ).map(([stroke, width]) => (
                  <path
                    key={width}
                    d={markPath(p.kind, p.x, p.y, m)}
                    fill={p.kind === 'artifact' ? 'none' : colour}
                    stroke={stroke}
                    strokeWidth={width}
                    strokeLinejoin="round"
                    strokeLinecap="round"
                    vectorEffect="non-scaling-stroke"
                  />
                ))}
              </g>
            ))}
          </g>
        );
      })}
    </svg>
  );
}
