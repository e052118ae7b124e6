/**
 * The workspace's two layouts (styles.css): narrow, up to 799 px wide (phones, narrow windows: the
 * image above the side panel, in the page's own scroll), and wide (the panel beside the image). A
 * zoom and pan belongs to the layout it was made in: a canvas of the other layout is another shape
 * and size, so the view is fitted again there (Canvas.tsx), and kept otherwise.
 */
export type Layout = 'narrow' | 'wide';

/** Keep in step with the `@media (max-width: 799px)` block of styles.css. */
const NARROW_QUERY = '(max-width: 799px)';

export function currentLayout(): Layout {
  // Outside a browser (unit tests of the stores) there is no layout to speak of.
  if (typeof window === 'undefined' || typeof window.matchMedia !== 'function') return 'wide';
  return window.matchMedia(NARROW_QUERY).matches ? 'narrow' : 'wide';
}
