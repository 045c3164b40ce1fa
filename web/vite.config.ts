import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * The resident site (docs/web.md): built into web/dist, which the server serves at `/`.
 * `npm run dev:web` serves it with hot reload and sends the API to a server on :8080.
 */
export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // MapLibre is most of the weight: its own chunk, cached apart from the app's code.
    rollupOptions: {
      output: { manualChunks: (id) => (id.includes('maplibre-gl') ? 'maplibre' : undefined) },
    },
    chunkSizeWarningLimit: 1200,
  },
  server: {
    proxy: { '/api': 'http://localhost:8080' },
  },
});
