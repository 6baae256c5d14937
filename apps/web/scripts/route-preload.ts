/**
 * Lets a deep link start downloading its page's chunks with the entry, not after it. For each route given, the
 * build writes a tiny inline script into index.html: when `location.pathname` starts with the route's prefix, it
 * adds `<link rel="modulepreload">` for the route module's chunk and its static imports (minus what index.html
 * already loads). Without it, `/a/{id}` would fetch the editor only once the entry chunk had downloaded and run.
 * Vite's own preloading of a lazy import sees the links already there and does not fetch twice.
 */
import { resolve } from 'node:path';
import type { Plugin, Rolldown } from 'vite';

type OutputChunk = Rolldown.OutputChunk;

/** Route prefix (e.g. `/a/`) → the lazily imported module that renders it, relative to the Vite root. */
export type RoutePreloads = Record<string, string>;

/** The chunk files a module needs before it runs: its own chunk and its static imports, transitively. */
export function staticClosure(bundle: Rolldown.OutputBundle, start: OutputChunk): string[] {
  const files: string[] = [];
  const visit = (fileName: string) => {
    if (files.includes(fileName)) return;
    files.push(fileName);
    const chunk = bundle[fileName];
    if (chunk?.type === 'chunk') for (const imported of chunk.imports) visit(imported);
  };
  visit(start.fileName);
  return files;
}

export function routePreload(routes: RoutePreloads): Plugin {
  let root = '';
  let base = '/';
  return {
    name: 'squirrelbin:route-preload',
    apply: 'build',
    configResolved(config) {
      root = config.root;
      base = config.base;
    },
    transformIndexHtml: {
      order: 'post',
      handler(_html, context) {
        const { bundle, chunk: entry } = context;
        if (!bundle || !entry) return;
        const chunks = Object.values(bundle).filter((item): item is OutputChunk => item.type === 'chunk');
        const loadedByIndex = new Set(staticClosure(bundle, entry));
        const table: Record<string, string[]> = {};
        for (const [prefix, module] of Object.entries(routes)) {
          const id = resolve(root, module);
          const chunk = chunks.find((item) => item.facadeModuleId === id);
          if (!chunk) throw new Error(`route-preload: no chunk for ${module} (is it imported lazily?)`);
          table[prefix] = staticClosure(bundle, chunk)
            .filter((file) => !loadedByIndex.has(file))
            .map((file) => base + file);
        }
        // ES5 on purpose: it runs before anything else, in whatever browser opened the link.
        const script =
          `(function(){var r=${JSON.stringify(table)},p=location.pathname,k,i,l;` +
          'for(k in r)if(p.indexOf(k)===0&&p.length>k.length)for(i=0;i<r[k].length;i++){' +
          'l=document.createElement("link");l.rel="modulepreload";l.crossOrigin="";l.href=r[k][i];' +
          'document.head.appendChild(l)}})()';
        return [{ tag: 'script', children: script, injectTo: 'head' }];
      },
    },
  };
}
