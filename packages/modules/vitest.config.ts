import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: '@squirrelbin/modules',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Builds dist/ when it is missing or stale, so every test runs against the real artifacts.
    globalSetup: ['./test/global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
