import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * The resident site (index.html, served at `/`) and the staff console (console.html, served at
 * `/console`), built together into web/dist so that they share chunks (docs/web.md).
 * `npm run dev:web` serves it with hot reload and sends the API to a server on :8080.
 */
export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // MapLibre is most of the weight: its own chunk, cached apart from the app's code. Its
    // stylesheet stays out of that chunk: main.tsx imports it statically, which made the resident
    // site load all of MapLibre before its form (bench/bundle.ts measures the first pages).
    rollupOptions: {
      input: { site: `${root}/index.html`, console: `${root}/console.html` },
      output: {
        manualChunks: (id) => (id.includes('maplibre-gl') && !id.endsWith('.css') ? 'maplibre' : undefined),
      },
    },
    chunkSizeWarningLimit: 1200,
  },
  server: {
    proxy: { '/api': 'http://localhost:8080' },
  },
});
