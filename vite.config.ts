import { defineConfig, parseAst, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { serviceWorker } from './scripts/serviceWorkerBuild.ts';
import { cutBodies } from './scripts/leftOut.ts';
import { reactTrim } from './scripts/reactTrim.ts';

/**
 * Konva's core build registers Konva.Tween (Node.to) and Konva.Animation, which nothing here uses:
 * the canvas is redrawn from the stores, never animated. Both are replaced by stubs that say so if
 * ever called, which keeps about 3 KB (gzipped) out of the annotator page's budget. Two more
 * trims of the same kind keep about 2.2 KB out: Konva's drag and drop (no Konva node is ever
 * draggable here: stages do not listen, and dragging points and panning are the canvas element's
 * own pointer handling, Canvas.tsx), replaced by a stub whose registry of dragged nodes stays
 * empty; and Util's table of CSS colour names, which Konva reads only to turn a named colour into
 * numbers (Util.colorToRGBA: filters, shadows with opacity), never when it hands a fill or stroke
 * to the canvas; every colour here is written as hex or rgba() and drawn by our own code.
 */
function konvaWithoutAnimations(): Plugin {
  const STUB = '\0konva-animation-stub';
  const NO_DRAG = '\0konva-drag-stub';
  return {
    name: 'konva-without-animations',
    enforce: 'pre',
    resolveId(source, importer) {
      if (importer && /konva[\\/]lib[\\/]_CoreInternals\.js$/.test(importer) && (source === './Tween.js' || source === './Animation.js')) return STUB;
      if (importer && /konva[\\/]lib[\\/][A-Za-z_]+\.js$/.test(importer) && source === './DragAndDrop.js') return NO_DRAG;
      return null;
    },
    transform(code, id) {
      if (!/konva[\\/]lib[\\/]Util\.js$/.test(id)) return null;
      const from = code.indexOf('COLORS = {');
      const to = code.indexOf('}', from);
      if (from < 0 || to < 0) {
        this.warn('konva/lib/Util.js has no COLORS table any more: the trim in vite.config.ts does nothing');
        return null;
      }
      return { code: `${code.slice(0, from)}COLORS = {}${code.slice(to + 1)}`, map: null };
    },
    load(id) {
      if (id === NO_DRAG) {
        return [
          'const none = () => {};',
          'export const DD = { isDragging: false, node: undefined, _dragElements: new Map(), _listenToWindow: none, _batchEvents: none, _drag: none, _endDragBefore: none, _endDragAfter: none };',
        ].join('\n');
      }
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

/**
 * Konva's methods that only a program's own calls reach, and no call here makes: the canvas is
 * never exported to an image (toDataURL, toCanvas, toImage, toBlob and the canvas they draw on,
 * _toKonvaCanvas), cached (cache), cloned or serialized (clone, toObject, toJSON), dragged (every
 * Konva node here is static: the drag methods below start from `draggable`, which nothing sets;
 * drag and drop itself is stubbed above) or asked where the pointer is relative to a node (no
 * Konva node listens: Canvas.tsx); and the fill patterns, gradients and shadows a shape has only
 * when it is given them (none here is); and, since the stage listens to nothing (KONVA_INERT_METHODS
 * below), its pointer handlers and what only they reach (hit-canvas look-ups, pointer capture), and
 * Util's colour parsing and helpers of shapes and exports not in this build. Their bodies are
 * replaced by a call that throws and says so, found by name in Konva's syntax tree (class methods,
 * and Util's object of functions), which keeps about 10.7 KiB (gzipped) out of the annotator page
 * (2.6 KiB before the stage's pointer handling and Util were trimmed). Checked against Konva 10.9 (`grep` each name in konva/lib and react-konva/lib):
 * the methods of Node, Container, Stage and Layer below are called inside Konva only by other
 * listed methods, those of Shape and Context only for a shape with those attributes. A name not
 * found warns, as the trims above do, so a Konva that renames or moves one is noticed at build time.
 */
const KONVA_UNUSED_METHODS: Record<string, readonly string[]> = {
  'Node.js': [
    'cache',
    '_toKonvaCanvas',
    'toCanvas',
    'toDataURL',
    'toImage',
    'toBlob',
    'clone',
    'toObject',
    'toJSON',
    'getRelativePointerPosition',
    'isClientRectOnScreen',
    'startDrag',
    'stopDrag',
    'setDraggable',
    '_createDragElement',
    '_setDragPosition',
    '_listenDrag',
    '_dragChange',
    '_dragCleanup',
    // Selectors (find, findOne, findAncestors, delegated events) and absolute placement: no call
    // here names a node by selector or places one in stage coordinates (react-konva sets x and y).
    '_isMatch',
    'findAncestors',
    'findAncestor',
    '_delegate',
    'setAbsolutePosition',
    '_clearTransform',
    'getAbsoluteRotation',
    // Drawing from a cache (cache is cut, so no node has one), and ordering that react-konva does
    // not use (it calls moveToTop and setZIndex).
    '_getCachedSceneCanvas',
    '_drawCachedSceneCanvas',
    '_drawCachedHitCanvas',
    'getAbsoluteZIndex',
    'moveUp',
    'moveDown',
    'moveToBottom',
    '_getCachedSceneRect',
    'getDragDistance',
  ],
  // getClientRect: reached only from the cuts above and from the isolation buffer (below).
  'Container.js': ['toObject', 'clone', 'getAllIntersections', 'find', 'findOne', '_generalFind', 'getClientRect'],
  // The stage's own pointer handling: it never listens (KONVA_INERT_METHODS), so the handlers,
  // the pointer positions they record and the hit-canvas look-up they make are never reached.
  'Stage.js': [
    'clone',
    '_toKonvaCanvas',
    '_pointerenter',
    '_pointerover',
    '_pointerEventsEnabled',
    '_cancelClick',
    '_pointerleave',
    '_pointerdown',
    '_pointermove',
    '_pointerup',
    '_contextmenu',
    '_wheel',
    '_pointercancel',
    '_lostpointercapture',
    'setPointersPositions',
    'getIntersection',
    'getPointerPosition',
    'getPointersPositions',
    '_getPointerById',
    'hasPointerCapture',
    'setPointerCapture',
    'releaseCapture',
  ],
  'Layer.js': ['createPNGStream', '_toKonvaCanvas', 'getIntersection', '_getIntersection', 'moveUp', 'moveDown', 'moveToBottom'],
  // The isolation buffer: a shape draws through it only with both a fill and a stroke and some
  // opacity or a shadow, a group only when `isolated`; none here has those.
  'Canvas.js': ['_prepareIsolationCanvas'],
  // Reached only for a shape with a pattern or gradient fill, a gradient stroke or a shadow: no
  // Konva node here has one (the image has no fill or stroke; points draw on the raw 2D context).
  'Shape.js': [
    '_getFillPattern',
    '_createFillPattern',
    '_setFillPatternTransform',
    '_getLinearGradient',
    '__getLinearGradient',
    '_getRadialGradient',
    '__getRadialGradient',
    'getShadowRGBA',
    '_getShadowRGBA',
    // A shape's pointer capture and its hit drawn from a cache: only the stage's pointer handling
    // and caching (both cut) reach them.
    'drawHitFromCache',
    'hasPointerCapture',
    'setPointerCapture',
    'releaseCapture',
    'intersects',
    'getClientRect',
    '_getStrokePadding',
    // A shape's hit drawing is reached only in a listening layer (Container.drawHit stops first
    // otherwise); every stage and layer here is `listening={false}`.
    'drawHit',
  ],
  // Konva's own fill and stroke of a shape: reached only for a shape with a fill, a stroke or a
  // corner radius. The image has none, and the points draw on the raw 2D context (pointMarks.ts).
  'Context.js': [
    '_getFillPattern',
    '_strokeLinearGradient',
    '_applyShadow',
    '_enableTrace',
    'getTrace',
    '_drawDeviceBuffer',
    '_fill',
    '_stroke',
    '_getFillStyle',
    '_applyStrokeStyle',
    '_applyDecorationStyle',
  ],
  // Util is an object of functions, not a class. Colour parsing is reached only through
  // getShadowRGBA (cut above) and getRGB (nothing calls it): fills and strokes go to the canvas as
  // given. The rest serve Tween (stubbed), Line and polygon shapes (not in this build), image
  // export (Node.toImage) and serializing (Node.toObject), both cut above.
  'Util.js': [
    'getRGB',
    'colorToRGBA',
    '_namedColorToRBA',
    '_rgbColorToRGBA',
    '_hex8ColorToRGBA',
    '_hex6ColorToRGBA',
    '_hex4ColorToRGBA',
    '_hex3ColorToRGBA',
    '_hslColorToRGBA',
    'getSnappedHexColor',
    'haveIntersection',
    '_getProjectionToSegment',
    '_getProjectionToLine',
    '_prepareArrayForTween',
    '_getPointsRect',
    'drawRoundedPolygonPath',
    '_urlToImage',
    '_prepareToStringify',
    'drawRoundedRectPath',
    '_cornerRadii',
  ],
};

/**
 * Methods that Konva calls but whose work nothing here needs: they are emptied, not made to
 * throw. The stage's `_bindContentEvents` adds Konva's mouse, touch and pointer listeners to the
 * stage's element; no Konva node here listens (every one is `listening={false}`) and pointer input
 * is the canvas element's own (Canvas.tsx), so Konva's handlers would only record pointer
 * positions and read the hit canvas, on every pointer move, for nothing.
 */
const KONVA_INERT_METHODS: Record<string, readonly string[]> = {
  'Stage.js': ['_bindContentEvents'],
};

function konvaWithoutUnusedMethods(): Plugin {
  return {
    name: 'konva-without-unused-methods',
    transform(code, id) {
      const file = /konva[\\/]lib[\\/]([A-Za-z]+\.js)$/.exec(id)?.[1];
      const unused = (file && KONVA_UNUSED_METHODS[file]) || [];
      const inert = (file && KONVA_INERT_METHODS[file]) || [];
      if (!file || unused.length + inert.length === 0) return null;
      const methods = [...unused, ...inert];
      const cuts: { start: number; end: number; name: string }[] = [];
      // A class's methods (`name() {…}` in a class body) and an object's (`name() {…}` in Util's object literal).
      const visit = (node: unknown): void => {
        if (!node || typeof node !== 'object') return;
        if (Array.isArray(node)) return node.forEach(visit);
        const n = node as {
          type?: string;
          static?: boolean;
          kind?: string;
          method?: boolean;
          key?: { name?: string };
          value?: { body?: { start: number; end: number } };
        };
        const isMethod = (n.type === 'MethodDefinition' && !n.static && n.kind === 'method') || (n.type === 'Property' && n.method === true);
        if (isMethod && n.key?.name && methods.includes(n.key.name) && n.value?.body) {
          cuts.push({ ...n.value.body, name: n.key.name });
          return;
        }
        for (const v of Object.values(n)) if (v && typeof v === 'object') visit(v);
      };
      visit(parseAst(code));
      for (const m of methods) if (!cuts.some((c) => c.name === m)) this.warn(`konva/lib/${file} has no method ${m} any more: the trim in vite.config.ts leaves it as it is`);
      const made = cutBodies(
        code,
        cuts.map((c) => ({ ...c, name: `${file.replace('.js', '')}.${c.name}`, empty: inert.includes(c.name) })),
        'Konva',
        'vite.config.ts',
      );
      if ('misplaced' in made) {
        this.warn(`konva/lib/${file}: nothing was cut (the parser's positions do not fall on ${made.misplaced}'s braces)`);
        return null;
      }
      return { code: made.code, map: null };
    },
  };
}

/**
 * zod's English messages name every string format zod knows ("email address", "IPv6 range", …);
 * the formats here use one (`z.iso.datetime`: "Invalid ISO datetime"), and regular expressions,
 * whose message does not come from the table. The table is cut down to those, which keeps about
 * 0.3 KB (gzipped) out of the annotator page; a format added later and missing here would be
 * named by its key ("Invalid email"), not lost.
 */
function zodFormatNamesTrim(): Plugin {
  return {
    name: 'zod-format-names-trim',
    transform(code, id) {
      if (!/zod[\\/]v4[\\/]locales[\\/]en\.js$/.test(id)) return null;
      const from = code.indexOf('const FormatDictionary = {');
      const to = code.indexOf('};', from);
      if (from < 0 || to < 0) {
        this.warn('zod/v4/locales/en.js has no FormatDictionary any more: the trim in vite.config.ts does nothing');
        return null;
      }
      return { code: `${code.slice(0, from)}const FormatDictionary = { regex: "input", datetime: "ISO datetime", template_literal: "input" ${code.slice(to)}`, map: null };
    },
  };
}

/**
 * The annotator page's chunks (its JavaScript budget counts every file it loads, `npm run bench`).
 * `base`, the entry: the page's start (main.tsx, App.tsx, startMode.ts) and the workspace both
 * ways of working share (Workspace.tsx, session.ts, OtherTab.tsx), with everything they import:
 * React, react-dom, Konva, react-konva, zod and the formats; and the newest-wins rule, which both
 * chunks use but the workspace does not (else `static` would take it and `server` load `static`). `static`: the static app
 * (AnnotatorApp.tsx: pack opening, file import) with what it alone imports; `server`: the
 * collection client (CollectionApp.tsx). App.tsx loads one of the two. Without these groups
 * Rolldown splits what the entry shares with the lazy chunks (and the lead's pages) into several
 * common chunks, and the page loads five to eight files.
 */
const annotatorChunks = {
  groups: [
    {
      name: 'base',
      priority: 2,
      test: /[\\/]src[\\/](app[\\/]main\.tsx|features[\\/]annotate[\\/](Workspace\.tsx|session\.ts|OtherTab\.tsx|workSummary\.ts)|core[\\/]dataset[\\/]newestRecord\.ts)$/,
    },
    { name: 'static', priority: 1, test: /[\\/]src[\\/]features[\\/]annotate[\\/]AnnotatorApp\.tsx$/ },
    { name: 'server', priority: 1, test: /[\\/]src[\\/]features[\\/]collection[\\/]CollectionApp\.tsx$/ },
  ],
};

// Relative base so the built app works from any static folder (the review page uses a hash route).
export default defineConfig({
  base: './',
  plugins: [react(), reactTrim(), konvaWithoutAnimations(), konvaWithoutUnusedMethods(), zodFormatNamesTrim(), serviceWorker('src/app/serviceWorker.ts')],
  server: { port: 5173, strictPort: true },
  // Bundle size is measured by `npm run bench` against the budget, not by Vite's generic
  // warning; build time by the README's figures, not by Rolldown's warnings about slow plugins
  // (which `richhf serve` and `npm start` would print when they build the app).
  // No modulepreload polyfill: every browser the build targets has modulepreload, and the polyfill
  // alone would keep a small entry chunk of its own in front of `base`.
  build: {
    target: 'es2022',
    sourcemap: true,
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 1024,
    rolldownOptions: {
      checks: { bundlerTimings: false },
      // src/core is pure (house rule): importing a module there does nothing but define things, so
      // one whose exports nothing uses is left out, also behind `formats/index.ts`'s `export *`.
      // The exception is common.ts, which sets zod's English messages when it loads.
      treeshake: { moduleSideEffects: [{ test: /[\\/]src[\\/]core[\\/](?!formats[\\/]common\.ts$)/, sideEffects: false }] },
      output: { codeSplitting: annotatorChunks },
    },
  },
  worker: { format: 'es', rolldownOptions: { checks: { bundlerTimings: false } } },
});
