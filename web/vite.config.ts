// Builds the Action Center page into web/dist. Vite 8 (Rolldown + Oxc) compiles TSX itself, so
// no React plugin is needed; `npm run web:dev` proxies the API to a running `npm start`.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const runtime = process.env.ACTION_CENTER_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 2048,
    rolldownOptions: {
      onwarn(warning, warn) {
        // Cloudscape marks its modules 'use client' for React Server Components; a SPA has none.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  server: {
    host: '127.0.0.1',
    proxy: { '/api': runtime, '/config.json': runtime },
  },
});
