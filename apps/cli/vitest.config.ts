import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: '@squirrelbin/cli',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 90_000,
    hookTimeout: 60_000,
  },
});
