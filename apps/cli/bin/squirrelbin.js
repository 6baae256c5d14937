#!/usr/bin/env node
// The `squirrelbin` bin. The CLI is TypeScript, which Node runs as it is from 23.6 on (Node 24 LTS); on an older
// Node it runs again on the repo's own pinned Node 24 (the `node` devDependency) when that is installed.
import { spawnSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major > 23 || (major === 23 && minor >= 6)) {
  // Before the first TypeScript module loads, so even its stripping is cached (src/compile-cache.ts, same place).
  const { XDG_CACHE_HOME, HOME } = process.env;
  const cacheHome = XDG_CACHE_HOME && isAbsolute(XDG_CACHE_HOME) ? XDG_CACHE_HOME : join(HOME || homedir(), '.cache');
  try {
    nodeModule.enableCompileCache(join(cacheHome, 'squirrelbin', 'compile-cache'));
  } catch {
    // Only a speed-up.
  }
  await import('../src/main.ts');
} else {
  const here = dirname(realpathSync(fileURLToPath(import.meta.url)));
  const pinned = join(here, '..', '..', '..', 'node_modules', 'node', 'bin', 'node');
  if (!existsSync(pinned)) {
    process.stderr.write(`squirrelbin needs Node 24 or later (this is Node ${process.versions.node}).\n`);
    process.exit(2);
  }
  const result = spawnSync(pinned, [join(here, 'squirrelbin.js'), ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(result.status ?? 1);
}
