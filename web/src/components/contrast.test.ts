import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OTHER_COLOR, SERIES_PALETTE } from './series-colors';
import { chartTheme } from './charts/chart-theme';
import { contrastRatio, DARK_INK, inkOn, LIGHT_INK, TEXT_CONTRAST } from './contrast';

/** The stylesheet's colour variables for a scheme: the light ones, overridden by the dark block. */
function stylesheetColors(scheme: 'light' | 'dark'): Record<string, string> {
  const css = readFileSync(join(__dirname, '../styles.css'), 'utf8');
  const variables = (block: string) =>
    Object.fromEntries([...block.matchAll(/(--[\w-]+):\s*(#[0-9a-f]{6})\s*;/gi)].map(([, name, value]) => [name, value]));
  const light = variables(/^:root\s*\{([^}]*)\}/m.exec(css)?.[1] ?? '');
  const dark = variables(/@media \(prefers-color-scheme: dark\)\s*\{\s*:root\s*\{([^}]*)\}/.exec(css)?.[1] ?? '');
  return scheme === 'light' ? light : { ...light, ...dark };
}

describe('contrastRatio', () => {
  it.each([
    ['#000000', '#ffffff', 21],
    ['#ffffff', '#ffffff', 1],
    ['#777777', '#ffffff', 4.48],
  ])('%s on %s is %d:1', (a, b, ratio) => {
    expect(contrastRatio(a, b)).toBeCloseTo(ratio, 2);
  });

  it('says what it expected when a colour is not #rrggbb', () => {
    expect(() => contrastRatio('red', '#ffffff')).toThrow('expected a colour as #rrggbb, got "red"');
  });
});

describe('inkOn', () => {
  it.each([...SERIES_PALETTE, OTHER_COLOR])('text on a %s mark reads at 4.5:1 or better', (color) => {
    expect(contrastRatio(inkOn(color), color)).toBeGreaterThanOrEqual(TEXT_CONTRAST);
  });

  it('picks white on a dark colour and near-black on a light one', () => {
    expect(inkOn('#1e3a8a')).toBe(LIGHT_INK);
    expect(inkOn('#fde68a')).toBe(DARK_INK);
  });
});

describe.each(['light', 'dark'] as const)('the charts in the %s scheme', (scheme) => {
  const colors = stylesheetColors(scheme);
  const theme = chartTheme(scheme);
  const texts = {
    'axis text': theme.axis?.ticks?.text?.fill,
    'legend text': theme.axis?.legend?.text?.fill,
    'label text': theme.labels?.text?.fill,
    'tooltip text': theme.tooltip?.container?.color,
  };

  it.each(Object.entries(texts))('%s reads at 4.5:1 or better on a card', (_, fill) => {
    expect(colors['--surface']).toMatch(/^#/);
    expect(contrastRatio(String(fill), colors['--surface'])).toBeGreaterThanOrEqual(TEXT_CONTRAST);
  });

  it('tooltip text reads on the tooltip', () => {
    expect(contrastRatio(String(theme.tooltip?.container?.color), String(theme.tooltip?.container?.background))).toBeGreaterThanOrEqual(
      TEXT_CONTRAST,
    );
  });
});
