import { fileURLToPath } from 'node:url';
import { constants as zlibConstants } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin, type ResolveModulePreloadDependenciesFn, type Rolldown } from 'vite';
import { compression, defineAlgorithm } from 'vite-plugin-compression2';

/** The gateway `npm run dev` starts next to Vite; override with TALLY_GATEWAY_URL. */
const gateway = process.env.TALLY_GATEWAY_URL ?? 'http://localhost:4000';

/** The page the dashboard opens on (`#/`, `#/overview`): web/src/App.tsx's first page. */
const CSS_MODULE = /\.css(?:$|\?)/;
const OPENING_PAGE = /[\\/]src[\\/]features[\\/]overview[\\/]index\.ts$/;

/**
 * The opening page's code, preloaded by index.html beside the app's own: pages load on demand,
 * so without this the Overview's chunks (and its chart library) are only asked for once the app's
 * code has run, and queue behind its first queries in the browser's six connections per host.
 * The bundle is kept in `generateBundle` (this plugin runs before Vite's HTML one) for
 * `resolveDependencies`, which the HTML plugin calls with the page's entry chunk.
 *
 * Its styles are linked by index.html too: Vite's loader of a page's chunk adds the chunk's
 * stylesheets only then and holds the page's code until they have loaded (a round trip after
 * the code is here); a stylesheet the page already links is neither fetched again nor waited for.
 */
function preloadOpeningPage(): { plugin: Plugin; resolveDependencies: ResolveModulePreloadDependenciesFn } {
  let bundle: Rolldown.OutputBundle | undefined;
  /**
   * The opening page's chunk and every chunk it imports, the app's entry (`entry`) excepted: the
   * page first (`pre`, the order its code is asked for), or each chunk after what it imports
   * (`post`, the order Vite's loader adds their stylesheets in, which the cascade follows).
   */
  const pageChunks = (entry: string, order: 'pre' | 'post'): Rolldown.OutputChunk[] => {
    if (!bundle) return [];
    const chunks = new Map(Object.values(bundle).flatMap((file) => (file.type === 'chunk' ? [[file.fileName, file] as const] : [])));
    const page = [...chunks.values()].find((chunk) => chunk.isDynamicEntry && OPENING_PAGE.test(chunk.facadeModuleId ?? ''));
    if (!page) throw new Error('The opening page (web/src/features/overview/index.ts) is no longer a chunk of its own: update OPENING_PAGE in web/vite.config.ts');
    const add = (chunk: Rolldown.OutputChunk | undefined) => {
      if (!chunk || chunk.fileName === entry || found.has(chunk.fileName)) return;
      found.add(chunk.fileName);
      chunk.imports.forEach((file) => add(chunks.get(file)));
      ordered.push(chunk);
    };
    const found = new Set<string>();
    const ordered: Rolldown.OutputChunk[] = [];
    add(page);
    return order === 'post' ? ordered : [...found].map((file) => chunks.get(file)!);
  };
  return {
    plugin: {
      name: 'tally:preload-opening-page',
      apply: 'build',
      enforce: 'pre',
      generateBundle(_options, output) {
        bundle = output;
      },
      transformIndexHtml: {
        order: 'post',
        handler(html, { chunk, filename }) {
          if (!filename.endsWith('index.html') || !chunk) return html;
          const linked = new Set(chunk.viteMetadata?.importedCss);
          const styles = pageChunks(chunk.fileName, 'post').flatMap((page) => [...(page.viteMetadata?.importedCss ?? [])]);
          return [...new Set(styles)]
            .filter((file) => !linked.has(file))
            .map((file) => ({ tag: 'link', attrs: { rel: 'stylesheet', crossorigin: true, href: `/${file}` }, injectTo: 'head' as const }));
        },
      },
    },
    resolveDependencies(filename, deps, { hostId, hostType }) {
      if (hostType !== 'html' || !hostId.endsWith('index.html') || !bundle) return deps;
      const preload = new Set(deps);
      for (const chunk of pageChunks(filename, 'pre')) {
        // A chunk of styles only is dropped by Vite after this runs (its CSS is linked instead).
        if (!chunk.moduleIds.every((id) => CSS_MODULE.test(id))) preload.add(chunk.fileName);
      }
      return [...preload];
    },
  };
}

const openingPage = preloadOpeningPage();

/** Modules only pages import (never the app's entry, which would then load them first), small and shared. */
const PAGE_KIT =
  /[\\/]src[\\/]components[\\/](Card|ScrollArea|TrendBadge|trend|charts[\\/](LineChart|StackedAreaChart|time-axis|Legend|chart-text|chart-theme))\.tsx?$|[\\/]@apollo[\\/]client[\\/]react[\\/]hooks[\\/](useMutation|useSubscription)\.js$/;

export default defineConfig({
  plugins: [
    openingPage.plugin,
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
    modulePreload: { resolveDependencies: openingPage.resolveDependencies },
    outDir: 'dist',
    emptyOutDir: true,
    // The dashboard's initial chunk holds React and Apollo, pages and chart libraries load on demand
    // (`npm run bench` measures what it loads first); GraphiQL's editor alone is about 2.8 MB.
    chunkSizeWarningLimit: 3000,
    rollupOptions: {
      // Brotli at its highest quality takes most of the build's time (about 12 s of CPU), knowingly:
      // it is done once per build and makes the first load about 7% smaller than quality 9.
      checks: { bundlerTimings: false },
      output: {
        codeSplitting: {
          // A group takes the modules it names, not what they import (the chart library stays where it is).
          includeDependenciesRecursively: false,
          groups: [
            {
              // Small modules shared by the pages (the Overview among them), one request instead of a
              // handful of tiny ones, each with its own headers.
              name: 'page-kit',
              test: PAGE_KIT,
            },
          ],
        },
      },
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
