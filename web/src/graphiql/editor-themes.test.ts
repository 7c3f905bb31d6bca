import { contrastRatio, TEXT_CONTRAST } from '../components/contrast';
import { editorTheme, PANEL_BACKGROUNDS } from './editor-themes';

describe.each(['light', 'dark'] as const)('the %s editor theme', (scheme) => {
  const theme = editorTheme(scheme);

  it.each(theme.rules.flatMap((rule) => PANEL_BACKGROUNDS[scheme].map((background) => [rule.token, rule.foreground, background])))(
    '%s (#%s) reads at 4.5:1 or better on %s',
    (_, foreground, background) => {
      expect(contrastRatio(`#${foreground}`, background)).toBeGreaterThanOrEqual(TEXT_CONTRAST);
    },
  );

  it("keeps the editors transparent, so they sit on GraphiQL's panels", () => {
    expect(theme.colors['editor.background']).toBe('#ffffff00');
    expect(theme.base).toBe(scheme === 'dark' ? 'vs-dark' : 'vs');
  });
});
