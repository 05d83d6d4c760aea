import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * Builds the browser app into web/dist, which the JailLab server serves itself
 * (same origin: its CSP allows scripts, workers and sockets from 'self' only, so
 * everything — Monaco, its worker, fonts — must be bundled here, never fetched
 * from a CDN).
 *
 * `npm run -w web dev` serves the app with hot reload and forwards the API and
 * the socket to a server started separately (JAILLAB_PORT, default 7878).
 * The proxy keeps the browser's Host header (no changeOrigin), so the server's
 * Origin check sees a same-origin socket, as it would in production.
 */
const backend = `http://127.0.0.1:${process.env.JAILLAB_PORT ?? '7878'}`;

export default defineConfig({
  plugins: [react()],
  // Routes are nested (/lessons/<chapter>/<lesson>): assets must be addressed from the root.
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Monaco's core alone is ~2.7 MB minified and cannot be split further; don't warn about it.
    chunkSizeWarningLimit: 4096,
    rolldownOptions: {
      output: {
        // Monaco and the other libraries in chunks of their own: they change far less often than
        // the app, and the server caches /assets forever, so an app update re-downloads only the app.
        codeSplitting: {
          groups: [
            { name: 'monaco', test: /node_modules[\\/]monaco-editor[\\/]/, priority: 2 },
            { name: 'vendor', test: /node_modules[\\/]/, priority: 1 },
          ],
        },
      },
    },
  },
  worker: { format: 'es' },
  server: {
    proxy: {
      '/api': { target: backend },
      '/ws': { target: backend, ws: true },
    },
  },
});
