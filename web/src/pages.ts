import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
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
  component: LazyExoticComponent<ComponentType<PageProps>>;
  /** Starts loading the page's code early (while the key is checked); safe to call again. */
  preload(): void;
}

/** A page definition from a loader of its component: `lazyPage({ path, title, usesPeriod, load: () => import(…).then((m) => m.XPage) })`. */
export function lazyPage(
  definition: Omit<PageDefinition, 'component' | 'preload'> & { load(): Promise<ComponentType<PageProps>> },
): PageDefinition {
  const { load, ...rest } = definition;
  let loading: Promise<{ default: ComponentType<PageProps> }> | null = null;
  const loadOnce = () => (loading ??= load().then((component) => ({ default: component })));
  return { ...rest, component: lazy(loadOnce), preload: () => void loadOnce() };
}
