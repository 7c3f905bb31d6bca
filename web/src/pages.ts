import type { ApolloClient } from '@apollo/client';
import { createElement, lazy, useState, type ComponentType } from 'react';
import type { Period, ViewerQuery } from './gql/graphql';

/** Who is looking: the key's role, scope and workspace. */
export type Viewer = ViewerQuery['viewer'];

/** What every page receives from the app shell. */
export interface PageProps {
  period: Period;
  viewer: Viewer;
  /** IANA zone days and times are shown in (the browser's). */
  timeZone: string;
}

/** A page in the navigation: its URL segment, its title, and its lazily loaded component. */
export interface PageDefinition {
  /** The URL segment: `#/overview`. */
  path: string;
  title: string;
  /** Whether the shell shows the period picker for this page. */
  usesPeriod: boolean;
  /** Shown only to ADMIN keys. @default false */
  adminOnly?: boolean;
  /** Reached by links from other pages, not listed in the navigation. @default false */
  unlisted?: boolean;
  /** Suspends while the page's code loads; renders it directly once loaded. */
  component: ComponentType<PageProps>;
  /** Starts loading the page's code early (while the key is checked); safe to call again. Resolves once it is here (or failed to come). */
  preload(): Promise<void>;
  /** Starts the page's first queries early (while the key is checked), with the variables the page will ask them with. */
  prefetch?(client: ApolloClient, route: PrefetchRoute): void;
}

/** What a page's first queries depend on, read from the URL before the page renders. */
export interface PrefetchRoute {
  period: Period;
  /**
   * The zone days are shown in. A function, asked only by the queries that need it and after the
   * others are sent: the browser's own zone costs the first Intl.DateTimeFormat of the page, which
   * loads the time zone data (about 100 ms on a busy machine).
   */
  timeZone(): string;
  /** The address carries an attribution filter: the page's first queries are its filtered ones, not the ones `prefetch` knows. */
  filtered: boolean;
}

/** A page definition from a loader of its component: `lazyPage({ path, title, usesPeriod, load: () => import(…).then((m) => m.XPage) })`. */
export function lazyPage(
  definition: Omit<PageDefinition, 'component' | 'preload'> & { load(): Promise<ComponentType<PageProps>> },
): PageDefinition {
  const { load, ...rest } = definition;
  let loaded: ComponentType<PageProps> | null = null;
  let loading: Promise<{ default: ComponentType<PageProps> }> | null = null;
  const loadOnce = () =>
    (loading ??= load().then((component) => {
      loaded = component;
      return { default: component };
    }));
  const Lazy = lazy(loadOnce);
  // React.lazy suspends on its first render even when the code is already here, and React then
  // holds the fallback for its reveal throttle (300 ms): a page preloaded while the key was
  // checked renders at once instead. Each mount keeps the type it started with, so the page is
  // never remounted (and its state lost) when its code arrives.
  const component = (props: PageProps) => {
    const [type] = useState<ComponentType<PageProps>>(() => loaded ?? Lazy);
    return createElement(type, props);
  };
  return {
    ...rest,
    component,
    preload: () =>
      loadOnce().then(
        () => undefined,
        () => undefined,
      ),
  };
}
