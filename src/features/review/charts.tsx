/**
 * Tiny inline SVG charts (no chart library: the review chunk stays small). Each chart is an
 * image to assistive technology, with its numbers in the accessible name.
 */

export interface Bar {
  readonly label: string;
  readonly value: number;
}

export function BarChart({
  title,
  bars,
  width = 220,
  height = 110,
  color = '#3b6ea8',
  caption,
}: {
  title: string;
  bars: readonly Bar[];
  width?: number;
  height?: number;
  color?: string;
  caption?: string;
}) {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const pad = { top: 14, bottom: 18, left: 4, right: 4 };
  const innerH = height - pad.top - pad.bottom;
  const step = (width - pad.left - pad.right) / Math.max(1, bars.length);
  const desc = `${title}: ${bars.map((b) => `${b.label}: ${b.value}`).join(', ')}${caption ? `. ${caption}` : ''}`;
  return (
    // As wide as the chart: a long caption wraps under it instead of widening the figure.
    <figure className="rv-chart" style={{ width }}>
      <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={desc}>
        {bars.map((b, i) => {
          const h = (b.value / max) * innerH;
          const x = pad.left + i * step;
          return (
            <g key={b.label}>
              <rect x={x + 2} y={pad.top + innerH - h} width={Math.max(1, step - 4)} height={h} fill={color} />
              <text x={x + step / 2} y={height - 5} textAnchor="middle" fontSize="9" fill="#333">
                {b.label}
              </text>
              {b.value > 0 && (
                <text x={x + step / 2} y={pad.top + innerH - h - 2} textAnchor="middle" fontSize="9" fill="#333">
                  {b.value}
                </text>
              )}
            </g>
          );
        })}
        <line x1={pad.left} x2={width - pad.right} y1={pad.top + innerH} y2={pad.top + innerH} stroke="#888" />
      </svg>
      <figcaption>
        {title}
        {caption ? <span className="rv-caption"> {caption}</span> : null}
      </figcaption>
    </figure>
  );
}

/** A horizontal bar centred on zero, for signed values like an annotator's bias (range ±limit). */
export function SignedBar({ value, limit = 2, label }: { value: number; limit?: number; label: string }) {
  const w = 80;
  const mid = w / 2;
  const v = Number.isFinite(value) ? Math.max(-limit, Math.min(limit, value)) : 0;
  const len = (Math.abs(v) / limit) * mid;
  return (
    <svg width={w} height={12} role="img" aria-label={`${label}: ${Number.isFinite(value) ? value.toFixed(2) : 'n/a'}`}>
      <rect x={0} y={5} width={w} height={2} fill="#ddd" />
      <rect x={v < 0 ? mid - len : mid} y={2} width={len} height={8} fill={v < 0 ? '#b8572f' : '#2f7d4a'} />
      <line x1={mid} x2={mid} y1={0} y2={12} stroke="#555" />
    </svg>
  );
}

/** A 0..1 share as a small filled bar. */
export function ShareBar({ value, label }: { value: number | null; label: string }) {
  const w = 80;
  return (
    <svg width={w} height={12} role="img" aria-label={`${label}: ${value === null ? 'n/a' : value.toFixed(2)}`}>
      <rect x={0} y={2} width={w} height={8} fill="#e3e3e3" />
      {value !== null && <rect x={0} y={2} width={w * Math.max(0, Math.min(1, value))} height={8} fill="#3b6ea8" />}
    </svg>
  );
}
