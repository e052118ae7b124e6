/**
 * A Vite plugin that leaves out of react-dom and react-reconciler (react-konva's renderer) the parts
 * of React this app never reaches: features that exist only for elements or calls it does not make.
 * Both are single CommonJS files the bundler cannot tree-shake, so, as the Konva trims in
 * vite.config.ts do, the body of each function listed here is replaced by a call that throws and
 * names it, and so is the body of every function that only they call (found in the file's syntax
 * tree: a function declared once whose every reference lies inside functions already left out).
 * Each group below says which element or call would reach it; none of them is in this app today, and
 * one added later fails at once with "React: <name> is left out of richhf-studio (scripts/reactTrim.ts)"
 * instead of behaving differently. A listed name React no longer has warns at build time.
 *
 * Checked against react-dom 19.3 and react-reconciler 0.34 by reading every call site of each
 * listed function (each sits under the fiber tag, flag or state named in its group), and by the
 * e2e suite with the throwing build. About 12 KiB (gzipped) of the annotator page's entry.
 */
import { parseAst, type Plugin } from 'vite';
import { cutBodies } from './leftOut.ts';

/** The after-mutation pass of a commit: it runs only inside a view transition, in both renderers. */
const VIEW_TRANSITION_PASS: readonly string[] = [
  'flushAfterMutationEffects',
  'commitAfterMutationEffectsOnFiber',
  'recursivelyTraverseAfterMutationEffects',
  'applyViewTransitionToHostInstances',
  'commitAppearingPairViewTransitions',
  'measureViewTransitionHostInstancesRecursive',
];

/** Elements rendered by React DOM here are plain HTML and SVG inside `createRoot` (src/app/main.tsx). */
const REACT_DOM: readonly (readonly string[])[] = [
  // Resources and hoistables: fiber tag 26 (HostHoistable) is made only for <title>, <meta>, <link>,
  // <style precedence> and <script async src>, none of which a component here renders; the
  // preload/preinit functions are React DOM's dispatcher behind ReactDOM.preload and friends, which
  // nothing here calls; the suspended stylesheets exist only once suspendResource has run.
  [
    'getResource',
    'acquireResource',
    'createHoistableInstance',
    'getHydratableHoistableCache',
    'mountHoistable',
    'preloadResourceAndSuspendIfNeeded',
    'suspendResource',
    'insertSuspendedStylesheets',
    'preload',
    'preloadModule',
    'preinitStyle',
    'preinitScript',
    'preinitModuleScript',
  ],
  // <SuspenseList> (fiber tag 19) and <Activity> (tag 31) are not rendered by React DOM here
  // (react-konva renders an Activity, but in its own renderer, below, where it stays).
  ['updateSuspenseListComponent', 'updateActivityComponent', 'commitActivityHydrationCallbacks', 'pushDehydratedActivitySuspenseHandler'],
  // Fragment refs: a FragmentInstance exists only for a <Fragment ref={…}>.
  [
    'FragmentInstance.prototype.addEventListener',
    'FragmentInstance.prototype.removeEventListener',
    'FragmentInstance.prototype.dispatchEvent',
    'FragmentInstance.prototype.focus',
    'FragmentInstance.prototype.focusLast',
    'FragmentInstance.prototype.blur',
    'FragmentInstance.prototype.observeUsing',
    'FragmentInstance.prototype.unobserveUsing',
    'FragmentInstance.prototype.getClientRects',
    'FragmentInstance.prototype.getRootNode',
    'FragmentInstance.prototype.compareDocumentPosition',
    'FragmentInstance.prototype.scrollIntoView',
    'commitNewChildToFragmentInstance',
    'deleteChildFromFragmentInstance',
  ],
  // Hydration: only a root made by hydrateRoot starts hydrating (its HostRoot is dehydrated), and
  // only hydration makes dehydrated boundaries (tag 18, `dehydrated` state) or explicit hydration
  // targets; every root here is createRoot's, so `isHydrating` stays false.
  [
    'exports.hydrateRoot',
    'ReactDOMHydrationRoot.prototype.unstable_scheduleHydration',
    'canHydrateInstance',
    'canHydrateTextInstance',
    'canHydrateHydrationBoundary',
    'prepareToHydrateHostInstance',
    'updateDehydratedSuspenseComponent',
    'createFiberFromDehydratedFragment',
    'clearHydrationBoundary',
    'hideOrUnhideDehydratedBoundary',
    'attemptExplicitHydrationTarget',
  ],
  // useActionState and useFormState: no component here calls them (react-konva reads
  // useFormStatus, which is not these).
  ['mountActionState', 'updateActionState', 'rerenderActionState'],
  // Form actions: a host transition starts for a <form action={fn}> or <button formAction={fn}>
  // (forms here submit through onSubmit), for a transition started in a submit handler (nothing
  // here calls startTransition) or for a form replayed after hydration; a form reset only through
  // ReactDOM.requestFormReset, which nothing calls.
  ['startHostTransition', 'requestFormReset'],
  // Custom elements: a tag with a hyphen (<my-widget>); none is rendered here.
  ['setPropOnCustomElement'],
  // View transitions: a commit starts one only when a <ViewTransition> (fiber tag 30) took part;
  // the after-mutation pass runs only inside one (flushAfterMutationEffects is handed to
  // startViewTransition and called nowhere else).
  ['startViewTransition', 'reportViewTransitionError', ...VIEW_TRANSITION_PASS],
];

/**
 * react-konva's renderer: its host config (react-konva/es/ReactKonvaHostConfig.js) supports no
 * hydration, resources or view transitions, and its tree (Stage, Layer, Group, Image, Shape inside
 * the Activity react-konva adds) has no SuspenseList.
 */
const REACT_RECONCILER: readonly (readonly string[])[] = [
  ['updateSuspenseListComponent'],
  ['updateDehydratedSuspenseComponent', 'prepareToHydrateHostInstance', 'preloadResourceAndSuspendIfNeeded'],
  ['mountActionState', 'updateActionState', 'rerenderActionState'],
  VIEW_TRANSITION_PASS,
];

/**
 * The `react-dom` entry (not react-dom/client): react-konva imports flushSync and useFormStatus
 * from it, and nothing here imports anything else; its resource hints, portals and form helpers go.
 */
const REACT_DOM_ENTRY: readonly (readonly string[])[] = [
  [
    'exports.createPortal',
    'exports.preconnect',
    'exports.prefetchDNS',
    'exports.preinit',
    'exports.preinitModule',
    'exports.preload',
    'exports.preloadModule',
    'exports.requestFormReset',
    'exports.useFormState',
  ],
];

const FILES: Record<string, readonly (readonly string[])[]> = {
  'react-dom/cjs/react-dom.production.js': REACT_DOM_ENTRY,
  'react-dom/cjs/react-dom-client.production.js': REACT_DOM,
  'react-reconciler/cjs/react-reconciler.production.js': REACT_RECONCILER,
};

interface Node {
  type: string;
  start: number;
  end: number;
  [key: string]: unknown;
}

/** A function's body, by the name it is declared or assigned under. */
interface Fn {
  name: string;
  body: { start: number; end: number };
}

/**
 * The functions `seeds` name, and every function declared once whose every reference lies inside
 * functions already in the set (so nothing else can reach it). References are identifiers, outside
 * property names; a function referenced at the top level is never added.
 */
export function unreachableFrom(code: string, seeds: readonly string[]): { cut: Fn[]; missing: string[] } {
  const declared = new Map<string, Fn[]>();
  const refs = new Map<string, Set<string>>();
  const add = (fn: Fn) => declared.set(fn.name, [...(declared.get(fn.name) ?? []), fn]);
  const walk = (n: unknown, encl: string): void => {
    if (!n || typeof n !== 'object') return;
    if (Array.isArray(n)) return n.forEach((x) => walk(x, encl));
    const node = n as Node;
    if (node.type === 'FunctionDeclaration' && (node.id as { name?: string } | null)?.name) {
      const name = (node.id as { name: string }).name;
      add({ name, body: node.body as Node });
      walk(node.params, name);
      walk(node.body, name);
      return;
    }
    if (node.type === 'AssignmentExpression' && (node.left as Node).type === 'MemberExpression' && (node.right as Node).type === 'FunctionExpression') {
      const left = node.left as Node;
      const right = node.right as Node;
      const name = code.slice(left.start, left.end);
      add({ name, body: right.body as Node });
      walk(left, encl);
      walk(right.params, name);
      walk(right.body, name);
      return;
    }
    if (node.type === 'Identifier') {
      const name = node.name as string;
      if (!refs.has(name)) refs.set(name, new Set());
      refs.get(name)!.add(encl);
      return;
    }
    if (node.type === 'MemberExpression' && !node.computed) return walk(node.object, encl);
    if (node.type === 'Property' && !node.computed && !node.shorthand) return walk(node.value, encl);
    for (const [k, v] of Object.entries(node)) if (k !== 'type' && v && typeof v === 'object') walk(v, encl);
  };
  walk(parseAst(code), '(top level)');
  const missing = seeds.filter((s) => declared.get(s)?.length !== 1);
  const cut = new Set(seeds.filter((s) => !missing.includes(s)));
  for (let grew = true; grew;) {
    grew = false;
    for (const [name, fns] of declared) {
      if (cut.has(name) || fns.length !== 1) continue;
      const from = [...(refs.get(name) ?? [])].filter((x) => x !== name);
      if (from.length > 0 && from.every((x) => cut.has(x))) {
        cut.add(name);
        grew = true;
      }
    }
  }
  // A function nested in another that is cut goes with it.
  const fns = [...cut].map((name) => declared.get(name)![0]!);
  const outer = fns.filter((f) => !fns.some((g) => g !== f && g.body.start < f.body.start && f.body.end <= g.body.end));
  return { cut: outer, missing };
}

export function reactTrim(): Plugin {
  return {
    name: 'react-without-unused-features',
    transform(code, id) {
      const file = Object.keys(FILES).find((f) => id.replace(/\\/g, '/').endsWith(`/node_modules/${f}`));
      if (!file) return null;
      const { cut, missing } = unreachableFrom(code, FILES[file]!.flat());
      for (const m of missing) this.warn(`${file} has no single function ${m} any more: the trim in scripts/reactTrim.ts leaves it as it is`);
      const made = cutBodies(
        code,
        cut.map((f) => ({ ...f.body, name: f.name })),
        'React',
        'scripts/reactTrim.ts',
      );
      if ('misplaced' in made) {
        this.warn(`${file}: nothing was cut (the parser's positions do not fall on ${made.misplaced}'s braces)`);
        return null;
      }
      return { code: made.code, map: null };
    },
  };
}
