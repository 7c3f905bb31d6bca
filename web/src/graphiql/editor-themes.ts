/**
 * The colours of GraphiQL's editors (Monaco), light and dark, with every token the GraphQL and
 * JSON editors draw at 4.5:1 or better on the panels behind them. Monaco's own themes, which
 * GraphiQL's build on, draw numbers, types and annotations too faint in light (down to 3.5:1)
 * and keywords, comments and constants too dark in dark (down to 2.2:1).
 */

/** A Monaco theme definition (`monaco.editor.defineTheme`'s second argument). */
export interface EditorThemeData {
  base: 'vs' | 'vs-dark';
  inherit: boolean;
  rules: { token: string; foreground: string }[];
  colors: Record<string, string>;
}

export type ColorScheme = 'light' | 'dark';

/** The names the themes are defined under, per colour scheme (GraphiQL's `editorTheme` prop). */
export const EDITOR_THEME_NAMES: Record<ColorScheme, string> = { light: 'tally-light', dark: 'tally-dark' };

/**
 * What lies behind the editors as GraphiQL draws its panels (the editors themselves are
 * transparent): the operation editor on the base colour, the variables, headers and response
 * on a tinted one.
 */
export const PANEL_BACKGROUNDS: Record<ColorScheme, readonly string[]> = {
  light: ['#ffffff', '#f1f2f4'],
  dark: ['#212a3b', '#2c3546'],
};

/** Monaco token colours (without '#') that replace the base theme's where it falls short. */
const READABLE_TOKENS: Record<ColorScheme, Record<string, string>> = {
  light: {
    number: '06704b',
    'attribute.value.number': '06704b',
    type: '006666',
    annotation: '5c5c5c',
    'argument.identifier.gql': '4f4bbd',
  },
  dark: {
    keyword: '7db4ea',
    'keyword.flow': 'd99ad4',
    constant: '7db4ea',
    comment: '86b572',
    annotation: 'e48f8f',
    invalid: 'ff8585',
    'variable.predefined': '98b1e8',
    'argument.identifier.gql': 'aaa6ff',
  },
};

/** The theme of a colour scheme: Monaco's base, its faint tokens replaced, on a transparent background like GraphiQL's. */
export function editorTheme(scheme: ColorScheme): EditorThemeData {
  return {
    base: scheme === 'dark' ? 'vs-dark' : 'vs',
    inherit: true,
    rules: Object.entries(READABLE_TOKENS[scheme]).map(([token, foreground]) => ({ token, foreground })),
    colors: { 'editor.background': '#ffffff00' },
  };
}
