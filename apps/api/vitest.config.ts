import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: '@squirrelbin/api',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // The Lambda run entries host isolated-vm in the test process itself, which Node 24 needs this for.
    execArgv: ['--no-node-snapshot'],
  },
});
