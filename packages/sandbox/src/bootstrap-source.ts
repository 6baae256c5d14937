// The script every acorn context starts with: bootstrap.js, web.js and core-js (dist/web-globals.js, a build output)
// compiled as one, so one compile per isolate (from our own cached data) and one call per context prepare it all.
// Kept apart from isolate-pool.ts so that the supervisor can check the build without loading isolated-vm.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const BOOTSTRAP_FILENAME = 'squirrelbin-bootstrap.js';
export const WEB_GLOBALS_BUILD_COMMAND = 'npm run build -w @squirrelbin/sandbox';

/**
 * Where dist/web-globals.js is: built into packages/sandbox/dist in the repository; beside the bundle (like
 * bootstrap.js and web.js) when this module has been bundled, e.g. for Lambda.
 */
const WEB_GLOBALS_PLACES = [
  new URL('../dist/web-globals.js', import.meta.url),
  new URL('./web-globals.js', import.meta.url),
];

let source: string | undefined;

/** The combined source; throws, naming the build command, when the core-js bundle was never built. */
export function bootstrapSource(): string {
  source ??= combineBootstrap();
  return source;
}

/** Reads and combines the three parts, the core-js bundle from the first of `places` that exists. */
export function combineBootstrap(places: URL[] = WEB_GLOBALS_PLACES): string {
  const webGlobals = places.find((place) => existsSync(place));
  if (!webGlobals) {
    const expected = fileURLToPath(places[0] as URL);
    throw new Error(
      `The sandbox's web globals are not built (${expected} is missing): run \`${WEB_GLOBALS_BUILD_COMMAND}\``,
    );
  }
  const read = (url: URL) => readFileSync(url, 'utf8').trimEnd().replace(/;$/, '');
  const bootstrap = read(new URL('./bootstrap.js', import.meta.url));
  const web = read(new URL('./web.js', import.meta.url));
  const coreJs = read(webGlobals);
  // Each part is one function; the script's value is the bootstrap with the other two bound to it. bootstrap.js and
  // web.js are parenthesised, so v8 compiles them eagerly (into our code cache): every context runs them. core-js is
  // not: it compiles the first time an acorn in the isolate needs it.
  return `(function (bootstrap, web, coreJs) {\n'use strict';\nreturn bootstrap.bind(undefined, web, coreJs);\n})(\n${bootstrap},\n${web},\n${coreJs}\n)\n`;
}
