// Zero-warning lint (`npm run lint`). Two rules here are architecture, not taste:
// src/core stays pure (no UI, DOM, storage or Node imports), and IndexedDB / localStorage
// are touched only by src/storage. Two more are typed (they read the TypeScript projects
// through the project service): no promise is left floating, and none is passed where a
// function's result is ignored (an event handler), so a failure always ends somewhere visible.
// `void p` is allowed, and means only this: `p` never rejects (the function it comes from turns
// its own failures into a visible state, and says so in its comment).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const focusedTests = [
  { object: 'test', property: 'only', message: 'No focused tests.' },
  { object: 'it', property: 'only', message: 'No focused tests.' },
  { object: 'describe', property: 'only', message: 'No focused tests.' },
];
/** `test.describe.only(…)`, `test.describe.parallel.only(…)`, `it.each(…).only`: focused too. */
const focusedSelectors = [
  { selector: "MemberExpression[property.name='only'][object.type='MemberExpression']", message: 'No focused tests.' },
  { selector: "MemberExpression[property.name='only'][object.type='CallExpression']", message: 'No focused tests.' },
];

/**
 * What the React trim (scripts/reactTrim.ts) leaves out of the build: using one throws at run time
 * and names it; these rules say so at lint time instead, for the usual ways in.
 */
const leftOut = 'is left out of the build by scripts/reactTrim.ts (it would throw at run time): change the trim first.';
const reactLeftOutImports = [
  {
    name: 'react-dom',
    importNames: ['createPortal', 'preconnect', 'prefetchDNS', 'preinit', 'preinitModule', 'preload', 'preloadModule', 'requestFormReset', 'useFormState'],
    message: `This part of React DOM ${leftOut}`,
  },
  { name: 'react-dom/client', importNames: ['hydrateRoot'], message: `Hydration ${leftOut}` },
  {
    name: 'react',
    importNames: ['useActionState', 'Activity', 'unstable_Activity', 'ViewTransition', 'unstable_ViewTransition', 'unstable_SuspenseList'],
    message: `This part of React ${leftOut}`,
  },
];
const reactLeftOutSyntax = [
  { selector: 'JSXOpeningElement[name.name=/^(title|meta|link|style|script)$/]', message: `React's hoisted elements and resources: this element ${leftOut}` },
  { selector: 'JSXOpeningElement[name.name=/-/]', message: `Custom elements' properties: this element ${leftOut}` },
  { selector: 'JSXAttribute[name.name=/^(action|formAction)$/]', message: `Form actions: this attribute ${leftOut} (submit through onSubmit)` },
  // The Konva trims in vite.config.ts: the stage binds no events (pointer input is Canvas.tsx's own),
  // and drag, fills, strokes and shadows of Konva's own drawing are cut.
  {
    selector: 'JSXOpeningElement[name.name=/^(Stage|Layer|Group|Shape|KImage)$/] > JSXAttribute[name.name=/^(on[A-Z]|draggable|fill|stroke|shadow|cornerRadius)/]',
    message:
      'Konva nodes here neither listen nor fill, stroke, shadow or drag: vite.config.ts cuts that code from Konva (Canvas.tsx handles the pointer; points draw on the raw context). Change the trim first.',
  },
];

const noCliImports = { group: ['**/cli/**'], message: 'The server and src/node must not import the command line: shared Node code goes in src/node.' };

export default tseslint.config(
  { ignores: ['dist/**', 'build/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'bench/out/**', 'public/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-properties': ['error', ...focusedTests],
      'no-restricted-syntax': ['error', ...focusedSelectors],
      'no-restricted-imports': ['error', { paths: [{ name: 'idb', message: 'Only src/storage touches IndexedDB.' }] }],
      'no-restricted-globals': [
        'error',
        { name: 'localStorage', message: 'Only src/storage touches browser storage.' },
        { name: 'indexedDB', message: 'Only src/storage touches IndexedDB.' },
      ],
    },
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
  {
    files: ['src/**/*.tsx', 'src/**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs['recommended-latest'].rules,
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  {
    files: ['src/core/**/*.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['react', 'react-*', 'react/*', 'konva', 'konva/*', 'zustand', 'zustand/*', 'zundo', 'idb', 'node:*', 'fs', 'path', 'zlib', 'worker_threads'],
              message: 'src/core must stay pure TypeScript: no UI, DOM, storage or Node imports (it runs in the browser, workers and the CLI).',
            },
            {
              group: ['**/features/**', '**/app/**', '**/storage/**', '**/cli/**', '**/server/**', '**/ui/**'],
              message: 'src/core must not depend on the layers built on top of it.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        ...['window', 'document', 'navigator', 'localStorage', 'indexedDB', 'self', 'process', 'Buffer', 'require'].map((name) => ({
          name,
          message: 'src/core must stay pure: no DOM or Node globals.',
        })),
      ],
    },
  },
  {
    // The browser reaches the server only through the documented /api/v1, never by importing it.
    files: ['src/app/**/*.ts', 'src/app/**/*.tsx', 'src/features/**/*.ts', 'src/features/**/*.tsx', 'src/storage/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: reactLeftOutImports,
          patterns: [{ group: ['**/server/**', '**/cli/**'], message: 'Browser code talks to the server through /api/v1 only; it must not import Node-side code.' }],
        },
      ],
      'no-restricted-syntax': ['error', ...focusedSelectors, ...reactLeftOutSyntax],
    },
  },
  {
    // The server sits beside the command line, not on it; src/node is below both (shared Node adapters).
    files: ['src/server/**/*.ts', 'src/node/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [noCliImports] }],
    },
  },
  {
    // SQL only in src/server/db/: the rest of the server calls its functions.
    files: ['src/server/**/*.ts'],
    ignores: ['src/server/db/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['kysely', 'pg', 'libsql'].map((name) => ({ name, message: 'Only src/server/db/ touches the database.' })),
          patterns: [noCliImports],
        },
      ],
    },
  },
  {
    files: ['src/node/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/cli/**', '**/server/**'], message: 'src/node is below the command line and the server.' }] }],
    },
  },
  {
    files: ['src/storage/**/*.ts', 'tests/**/*.ts'],
    rules: { 'no-restricted-globals': 'off', 'no-restricted-imports': 'off' },
  },
);
