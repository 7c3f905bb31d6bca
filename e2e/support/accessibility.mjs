// axe-core in the page under test: the WCAG 2.1 A and AA rules, in the light theme and the
// system's dark mode, failing on any serious or critical violation with a report a person reads.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** The rule sets run: WCAG 2.0 and 2.1, levels A and AA. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** Impacts that fail a test; minor and moderate ones are left to judgement. */
export const BLOCKING_IMPACTS = ['serious', 'critical'];

/** The colour schemes every state is checked in. */
export const COLOR_SCHEMES = ['light', 'dark'];

/**
 * @typedef {object} Violation
 * @property {string} rule axe's rule id: "color-contrast"
 * @property {string} impact "serious" or "critical"
 * @property {string} help what the rule asks for
 * @property {string} helpUrl where the rule is explained
 * @property {{ target: string, html: string, summary: string }[]} nodes each element that breaks it
 */

/**
 * The serious and critical violations on the page as it is now. axe is injected through the
 * DevTools protocol (page.evaluate), so a Content-Security-Policy on the page does not stop it.
 * @param {import('playwright-core').Page} page
 * @returns {Promise<Violation[]>}
 */
export async function seriousViolations(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(
    async ({ tags, impacts }) => {
      const results = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
      return results.violations
        .filter((violation) => impacts.includes(violation.impact))
        .map((violation) => ({
          rule: violation.id,
          impact: violation.impact,
          help: violation.help,
          helpUrl: violation.helpUrl.replace(/\?.*$/, ''),
          nodes: violation.nodes.map((node) => ({ target: node.target.join(' '), html: node.html, summary: node.failureSummary ?? '' })),
        }));
    },
    { tags: WCAG_TAGS, impacts: BLOCKING_IMPACTS },
  );
}

const clip = (text, length) => (text.length > length ? `${text.slice(0, length - 1)}…` : text);

/**
 * Violations in words, one block per rule and one line per element:
 *   Overview (dark) · serious color-contrast ×2: Elements must meet minimum color contrast ratio thresholds
 *     https://dequeuniversity.com/rules/axe/4.14/color-contrast
 *     - .card-caption: Element has insufficient color contrast of 3.9 (…)   <p class="card-caption">…
 * @param {string} where the page and state, with its theme
 * @param {Violation[]} violations
 */
export function describeViolations(where, violations) {
  return violations
    .map((violation) =>
      [
        `${where} · ${violation.impact} ${violation.rule} ×${violation.nodes.length}: ${violation.help}`,
        `  ${violation.helpUrl}`,
        ...violation.nodes.map((node) => {
          const why = node.summary.split('\n').slice(1).map((line) => line.trim()).filter(Boolean).join(' / ');
          return `  - ${node.target}: ${clip(why, 220)}\n      ${clip(node.html.replace(/\s+/g, ' '), 160)}`;
        }),
      ].join('\n'),
    )
    .join('\n');
}

/**
 * Checks the page as it is now in both colour schemes (switching the emulated
 * `prefers-color-scheme`, then restoring `restoreTo`), and returns the violations found in words
 * (an empty list when there are none).
 * @param {import('playwright-core').Page} page
 * @param {string} label what the page shows: "Overview", "Tools, rows expanded"
 * @param {{ restoreTo?: 'light' | 'dark' }} [options]
 * @returns {Promise<string[]>}
 */
export async function accessibilityProblems(page, label, { restoreTo = 'light' } = {}) {
  const problems = [];
  try {
    for (const scheme of COLOR_SCHEMES) {
      await page.emulateMedia({ colorScheme: scheme });
      await settleColorScheme(page, scheme);
      const violations = await seriousViolations(page);
      if (violations.length > 0) problems.push(describeViolations(`${label} (${scheme})`, violations));
    }
  } finally {
    await page.emulateMedia({ colorScheme: restoreTo }).catch(() => undefined);
  }
  return problems;
}

/** Throws a readable report when the page as it is now has a serious or critical violation in either theme. */
export async function expectAccessible(page, label, options) {
  const problems = await accessibilityProblems(page, label, options);
  if (problems.length > 0) throw new Error(`accessibility violations (axe-core, WCAG 2.1 A and AA):\n${problems.join('\n')}`);
}

/**
 * Waits until the page has drawn itself in the scheme just switched to: the media query matches,
 * and two animation frames have passed so React's re-render (chart themes) is painted.
 */
async function settleColorScheme(page, scheme) {
  await page.waitForFunction((dark) => window.matchMedia('(prefers-color-scheme: dark)').matches === dark, scheme === 'dark');
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve(undefined)))));
}
