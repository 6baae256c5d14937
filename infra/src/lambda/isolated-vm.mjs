// Stands in for `isolated-vm` in the bundles of the functions that run acorns (an esbuild alias), so its native addon
// loads on the first run, not at init. An external `import` of isolated-vm would be hoisted to the top of the ESM
// bundle and load the addon before the handler exists; this module is only evaluated with the sandbox, which the
// handler imports on its first run, and it loads the real package (shipped beside the bundle) with a runtime
// `require` that esbuild leaves alone. If the addon cannot load on this machine, that run — and each one after it in
// this execution environment — answers a 500 problem saying so; every other request, and init, are unaffected.
import { createRequire } from 'node:module';
import { HTTPException } from 'hono/http-exception';

const load = createRequire(import.meta.url);

let ivm;
try {
  ivm = load('isolated-vm');
} catch (error) {
  console.error(JSON.stringify({ level: 'error', message: `isolated-vm failed to load: ${error?.stack ?? error}` }));
  throw new HTTPException(500, {
    message: 'The sandbox could not start on this server (its native addon failed to load), so nothing ran',
    cause: error,
  });
}

export default ivm;
