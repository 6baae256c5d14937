import { defineConfig } from 'vitest/config';

// One vitest run over every workspace; each project keeps its own environment.
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/api', 'apps/web', 'apps/cli', 'infra'],
    // 2 cores: real servers and sandbox workers per file, so keep file parallelism modest.
    maxWorkers: 2,
  },
});
