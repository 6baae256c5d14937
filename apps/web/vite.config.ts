import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { precompress } from './scripts/precompress.ts';
import { routePreload } from './scripts/route-preload.ts';

// The API serves the built SPA; in dev, Vite proxies /api to a running local server.
export default defineConfig({
  plugins: [
    react(),
    // A shared link (`/a/{id}`, `/embed/{id}`) fetches the editor chunks alongside the entry, not after it.
    routePreload({ '/a/': 'src/app/routes/acorn.tsx', '/embed/': 'src/app/routes/embed.tsx' }),
    // `.br` and `.gz` next to each file, for the local server to send by Accept-Encoding.
    precompress(),
  ],
  server: { proxy: { '/api': process.env.SQUIRRELBIN_API ?? 'http://localhost:8787' } },
  build: {
    manifest: true,
    target: 'es2022',
    rolldownOptions: {
      treeshake: {
        // @squirrelbin/schemas builds zod schemas at module level, which a bundler must keep unless told they are
        // free of side effects. They are: a page that only needs `fieldLimits` (the editor) then gets no zod; the
        // one form check with zod (importing a key, in Settings) still pulls it into that lazy page.
        moduleSideEffects: (id) => (/\/packages\/schemas\/src\//.test(id) ? false : undefined),
      },
      output: {
        // Name the heavy lazy pieces after what they are, so bundle sizes read plainly. The CodeMirror packages
        // only lazy modules import (search on Ctrl+F, lint with the TypeScript tooling) stay out of `codemirror`,
        // which every editor page loads before it shows the code: grouping them in would undo their lazy import.
        manualChunks: (id) =>
          /node_modules\/@codemirror\/(lint|search)\//.test(id)
            ? undefined
            : /node_modules\/(@codemirror|@lezer|codemirror|crelt|style-mod|w3c-keyname|@marijn)\//.test(id)
              ? 'codemirror'
              : /node_modules\/uplot\//.test(id)
                ? 'uplot'
                : /node_modules\/zod\//.test(id)
                  ? 'zod'
                  : undefined,
      },
    },
  },
});
