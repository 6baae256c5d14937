/** `node apps/cli/src/main.ts <command>`: the CLI as a process (the `squirrelbin` bin starts here too). */
import { useCompileCache } from './compile-cache.ts';

useCompileCache(process.env);
await import('./squirrelbin.ts');
