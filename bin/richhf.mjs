#!/usr/bin/env node
// The `richhf` command line. The code is TypeScript in src/cli and src/core; tsx loads it
// directly, so `npx richhf` works right after `npm install` with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
