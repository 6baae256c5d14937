// A node:vm context holding only the globals the sandbox promises acorns, to evaluate artifacts as the sandbox will.
import { webcrypto } from 'node:crypto';
import vm from 'node:vm';

/** The namespace an artifact's function returns: named exports plus `default`. */
export type ModuleNamespace = Record<string, unknown>;

/** A fresh context with URL, text codecs, base64, structuredClone, crypto (two methods), console and timers. */
export function createBareContext(): vm.Context {
  const crypto = {
    getRandomValues: <T extends ArrayBufferView>(array: T): T => webcrypto.getRandomValues(array as never) as T,
    randomUUID: () => webcrypto.randomUUID(),
  };
  return vm.createContext({
    URL,
    URLSearchParams,
    TextEncoder,
    TextDecoder,
    atob,
    btoa,
    structuredClone,
    crypto,
    console,
    setTimeout,
    clearTimeout,
    setInterval,
    clearInterval,
  });
}

/** Runs an artifact's script in `context` and returns its completion value, the loader function. */
export function compileArtifact(source: string, context: vm.Context, filename = 'artifact.js'): () => ModuleNamespace {
  const load = vm.runInContext(source, context, { filename });
  if (typeof load !== 'function') throw new Error(`${filename}: the script's completion value is not a function`);
  return load;
}

/** The context's own global property names, to prove an artifact leaves none behind. */
export function globalNames(context: vm.Context): string[] {
  return vm.runInContext('Object.getOwnPropertyNames(globalThis)', context);
}
