/**
 * WCAG 2.1 contrast between two colours, for text axe-core cannot check: drawn inside a chart's
 * SVG or by a code editor, where it cannot tell what lies behind it.
 */

/** Text needs this much contrast with what is behind it (WCAG 2.1 AA, normal size). */
export const TEXT_CONTRAST = 4.5;

/** The two inks chart text is drawn in on a coloured mark. */
export const DARK_INK = '#000000';
export const LIGHT_INK = '#ffffff';

function channels(hex: string): [number, number, number] {
  const match = /^#([0-9a-f]{6})$/i.exec(hex);
  if (!match) throw new Error(`expected a colour as #rrggbb, got "${hex}"`);
  const value = parseInt(match[1], 16);
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
}

/** WCAG 2.1 relative luminance of a #rrggbb colour (0 black to 1 white). */
export function relativeLuminance(hex: string): number {
  const [r, g, b] = channels(hex).map((channel) => {
    const c = channel / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** The contrast ratio of two #rrggbb colours, 1 to 21. */
export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}

/** The ink (black or white) that reads better on a background: every colour gets at least 4.58:1 from one of them. */
export function inkOn(background: string): string {
  return contrastRatio(DARK_INK, background) >= contrastRatio(LIGHT_INK, background) ? DARK_INK : LIGHT_INK;
}
