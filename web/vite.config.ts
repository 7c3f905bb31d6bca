import { fileURLToPath } from 'node:url';
import { constants as zlibConstants } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { compression, defineAlgorithm } from 'vite-plugin-compression2';

/** The gateway `npm run dev` starts next to Vite; override with TALLY_GATEWAY_URL. */
const gateway = process.env.TALLY_GATEWAY_URL ?? 'http://localhost:4000';

export default defineConfig({
  plugins: [
    react(),
    // A brotli and a gzip copy beside each text file of the build, made once at the highest levels;
    // the gateway sends the one the browser accepts (server/src/serving.ts).
    compression({
      include: /\.(html|js|css|svg|json|ttf)$/,
      algorithms: [
        defineAlgorithm('brotliCompress', { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11 } }),
        defineAlgorithm('gzip', { level: 9 }),
      ],
      logLevel: 'silent',
    }),
  ],
  // The dev server serves the dashboard only. GraphiQL's Monaco workers run from a build, so
  // `/graphiql` (and its `/assets/`) come from the gateway, as built by `npm run build`.
  optimizeDeps: { entries: ['index.html'] },
  server: {
    port: 5173,
    proxy: {
      '/graphql': { target: gateway, ws: true, changeOrigin: true },
      '/health': { target: gateway, changeOrigin: true },
      '/api': { target: gateway, changeOrigin: true },
      '/graphiql': { target: gateway, changeOrigin: true },
      '/assets': { target: gateway, changeOrigin: true },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The dashboard's initial chunk holds React and Apollo, pages and chart libraries load on demand
    // (`npm run bench` measures what it loads first); GraphiQL's editor alone is about 2.8 MB.
    chunkSizeWarningLimit: 3000,
    rollupOptions: {
      // Brotli at its highest quality takes most of the build's time (about 12 s of CPU), knowingly:
      // it is done once per build and makes the first load about 7% smaller than quality 9.
      checks: { bundlerTimings: false },
      // GraphiQL (/graphiql) is a page of its own, so its editor never weighs on the dashboard.
      input: {
        dashboard: fileURLToPath(new URL('index.html', import.meta.url)),
        graphiql: fileURLToPath(new URL('graphiql.html', import.meta.url)),
      },
      // GraphiQL's modules carry React Compiler directives that a bundle cannot keep; harmless here.
      onLog(level, log, handler) {
        if (log.code === 'MODULE_LEVEL_DIRECTIVE') return;
        handler(level, log);
      },
    },
  },
});
