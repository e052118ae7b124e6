/**
 * A Vite plugin that builds the app's service worker (src/app/serviceWorker.ts) into `sw.js`
 * beside index.html once the app's build is written, with the list of that build's files to
 * precache: index.html, the favicon, and every script, style and worker under assets/ (source maps
 * and the demo pack are left out: the pack's files are cached as they are fetched). A file whose
 * name carries Vite's content hash needs no revision; the others get a hash of their bytes, so a
 * changed index.html makes a changed sw.js, which is how browsers learn of a new version.
 *
 * Workbox's runtime (workbox-precaching, -routing, -strategies) does the caching. vite-plugin-pwa,
 * which does what this file does, brings workbox-build with Babel, Rollup and Terser: 272 packages
 * and about 35 s more of `npm install` (measured here), doubling it, against the 90 s from
 * a fresh clone to the first labelled item; this is the part of it the app needs, on Vite's own
 * build.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { build, type Plugin } from 'vite';

/** The build's files under `dir`, as URLs relative to it ('/' separators). */
function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full, `${prefix}${name}/`) : [`${prefix}${name}`];
  });
}

const HASHED = /^assets\/.+-[A-Za-z0-9_-]{8}\.[a-z0-9]+$/;

export function precacheManifest(outDir: string): { url: string; revision: string | null }[] {
  return filesUnder(outDir)
    .filter((f) => !f.endsWith('.map') && f !== 'sw.js' && !f.startsWith('demo/'))
    .sort()
    .map((url) => ({
      url,
      revision: HASHED.test(url)
        ? null
        : createHash('sha256')
            .update(readFileSync(path.join(outDir, url)))
            .digest('hex')
            .slice(0, 16),
    }));
}

export function serviceWorker(entry: string): Plugin {
  let outDir = '';
  let root = '';
  return {
    name: 'richhf-service-worker',
    apply: 'build',
    configResolved(config) {
      root = config.root;
      outDir = path.resolve(config.root, config.build.outDir);
    },
    async closeBundle() {
      await build({
        configFile: false,
        root,
        logLevel: 'warn',
        publicDir: false,
        define: { __RICHHF_PRECACHE__: JSON.stringify(precacheManifest(outDir)), 'process.env.NODE_ENV': JSON.stringify('production') },
        build: {
          outDir,
          emptyOutDir: false,
          copyPublicDir: false,
          sourcemap: false,
          target: 'es2022',
          lib: { entry: path.resolve(root, entry), formats: ['iife'], name: 'richhfServiceWorker', fileName: () => 'sw.js' },
          rolldownOptions: { checks: { bundlerTimings: false } },
        },
      });
    },
  };
}
