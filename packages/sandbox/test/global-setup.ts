// Builds dist/web-globals.js (core-js for the web globals) when it is missing or older than what it is built from,
// so that the suite runs on a fresh checkout without `npm run build -w @squirrelbin/sandbox` first.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { buildWebGlobals, WEB_GLOBALS_PATH } from '../scripts/build-web-globals.ts';

export default async function setup() {
  const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
  const inputs = [
    here('../scripts/build-web-globals.ts'),
    ...readdirSync(here('../scripts/web-globals')).map((name) => here(`../scripts/web-globals/${name}`)),
    createRequire(import.meta.url).resolve('core-js/package.json'),
  ];
  const built = existsSync(WEB_GLOBALS_PATH) ? statSync(WEB_GLOBALS_PATH).mtimeMs : 0;
  if (inputs.some((input) => statSync(input).mtimeMs > built)) await buildWebGlobals();
}
