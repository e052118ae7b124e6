import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    // Compiles the command line first: tests that run bin/richhf.mjs never see an old build.
    globalSetup: ['tests/buildNode.ts'],
  },
});
