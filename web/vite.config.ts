import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** The gateway `npm run dev` starts next to Vite; override with TALLY_GATEWAY_URL. */
const gateway = process.env.TALLY_GATEWAY_URL ?? 'http://localhost:4000';

export default defineConfig({
  plugins: [react()],
  server: {
    port: 5173,
    proxy: {
      '/graphql': { target: gateway, ws: true, changeOrigin: true },
      '/health': { target: gateway, changeOrigin: true },
      '/api': { target: gateway, changeOrigin: true },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The initial chunk holds React and Apollo; pages and chart libraries load on demand.
    chunkSizeWarningLimit: 600,
  },
});
