import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * Konva's core build registers Konva.Tween (Node.to) and Konva.Animation, which nothing here uses:
 * the canvas is redrawn from the stores, never animated. Both are replaced by stubs that say so if
 * ever called, which keeps about 3 KB (gzipped) out of the annotator page's budget.
 */
function konvaWithoutAnimations(): Plugin {
  const STUB = '\0konva-animation-stub';
  return {
    name: 'konva-without-animations',
    enforce: 'pre',
    resolveId(source, importer) {
      if (importer && /konva[\\/]lib[\\/]_CoreInternals\.js$/.test(importer) && (source === './Tween.js' || source === './Animation.js')) return STUB;
      return null;
    },
    load(id) {
      if (id !== STUB) return null;
      return [
        "const missing = (name) => class { constructor() { throw new Error('Konva.' + name + ' is left out of richhf-studio (vite.config.ts)'); } };",
        "export const Animation = missing('Animation');",
        "export const Tween = missing('Tween');",
        'export const Easings = {};',
      ].join('\n');
    },
  };
}

// Relative base so the built app works from any static folder (the review page uses a hash route).
export default defineConfig({
  base: './',
  plugins: [react(), konvaWithoutAnimations()],
  server: { port: 5173, strictPort: true },
  // Bundle size is measured by `npm run bench` against the budget, not by Vite's generic
  // warning; build time by the README's figures, not by Rolldown's warnings about slow plugins
  // (which `richhf serve` and `npm start` would print when they build the app).
  build: { target: 'es2022', sourcemap: true, chunkSizeWarningLimit: 1024, rolldownOptions: { checks: { bundlerTimings: false } } },
  worker: { format: 'es' },
});
