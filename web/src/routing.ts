import { useCallback, useSyncExternalStore } from 'react';

/**
 * Page routing kept in the URL hash ("#/overview?period=LAST_7D"), so every view is a link
 * that can be shared and the back button walks through what was seen. The gateway serves the
 * same index.html at any path, so the hash needs no server support.
 */
export interface Route {
  /** The page's path segment: "overview". Empty when the hash names none. */
  page: string;
  /** What the page opens to, from the segment after it: the run of "#/runs/<id>". Empty when none. */
  detail: string;
  params: URLSearchParams;
}

/** Reads a hash ("#/costs?period=LAST_30D", "", "#") into a route. */
export function parseHash(hash: string): Route {
  const body = hash.replace(/^#\/?/, '');
  const question = body.indexOf('?');
  const path = question === -1 ? body : body.slice(0, question);
  const query = question === -1 ? '' : body.slice(question + 1);
  const [page = '', ...rest] = path.split('/');
  return { page: decodeURIComponent(page), detail: decodeURIComponent(rest.join('/')), params: new URLSearchParams(query) };
}

/** The hash for a page and its parameters; parameters are written in a stable order. */
export function hashFor(page: string, params?: URLSearchParams | Record<string, string>, detail = ''): string {
  const search = new URLSearchParams(params);
  search.sort();
  const query = search.toString();
  return `#/${encodeURIComponent(page)}${detail ? `/${encodeURIComponent(detail)}` : ''}${query ? `?${query}` : ''}`;
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

const currentHash = () => window.location.hash;

/**
 * Moves to a route: a new history entry, or with `replace` the same one (for corrections). The
 * change is announced at once rather than by the browser's later hashchange, so a control the
 * route drives (a period radio) shows its new value in the same event that changed it; React
 * would otherwise put the old value back until the browser's event arrives.
 */
export function navigate(hash: string, { replace = false } = {}): void {
  if (hash === window.location.hash) return;
  if (replace) window.history.replaceState(window.history.state, '', hash);
  else window.history.pushState(window.history.state, '', hash);
  window.dispatchEvent(new HashChangeEvent('hashchange'));
}

/** The current route, and a setter for one parameter that keeps the page and the other parameters. */
export function useRoute(): { route: Route; setParam: (name: string, value: string | null) => void } {
  const hash = useSyncExternalStore(subscribe, currentHash, () => '');
  const route = parseHash(hash);
  const setParam = useCallback((name: string, value: string | null) => {
    const { page, detail, params } = parseHash(window.location.hash);
    if (value === null) params.delete(name);
    else params.set(name, value);
    navigate(hashFor(page, params, detail));
  }, []);
  return { route, setParam };
}
