import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

// The web app: one HTML entry, one lazily loaded chunk per face (storefront, merchant, console).
// `npm run build:web` writes web/dist, which the API server serves (src/http/web.ts).
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    manifest: true,
    target: 'es2020',
    chunkSizeWarningLimit: 700,
  },
  server: {
    // `npx vite web` for development, with the API on :8080
    proxy: { '/api': 'http://127.0.0.1:8080', '/media': 'http://127.0.0.1:8080' },
  },
});
