import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The API serves the built SPA; in dev, Vite proxies /api to a running local server.
export default defineConfig({
  plugins: [react()],
  server: { proxy: { '/api': process.env.SQUIRRELBIN_API ?? 'http://localhost:8787' } },
  build: {
    manifest: true,
    target: 'es2022',
    rollupOptions: {
      output: {
        // Name the heavy lazy pieces after what they are, so bundle sizes read plainly.
        manualChunks: (id) =>
          /node_modules\/(@codemirror|@lezer|codemirror|crelt|style-mod|w3c-keyname|@marijn)\//.test(id)
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
