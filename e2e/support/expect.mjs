// Waiting for what a person would wait for: retry a check until it holds or time runs out.
import assert from 'node:assert/strict';

export { assert };

/**
 * Runs `check` until it stops throwing; rethrows its last error after `timeoutMs`.
 * @template T
 * @param {() => Promise<T> | T} check
 * @param {{ timeoutMs?: number, intervalMs?: number }} [options]
 * @returns {Promise<T>}
 */
export async function eventually(check, { timeoutMs = 15_000, intervalMs = 150 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}

/** "$1,234.56" -> 1234.56, "12,345" -> 12345, "2.1%" -> 2.1. */
export function numberIn(text) {
  const match = /-?[\d,]*\.?\d+/.exec(text.replace(/\u2212/g, '-'));
  if (!match) throw new Error(`no number in "${text}"`);
  return Number(match[0].replace(/,/g, ''));
}

/** Dollars as the dashboard writes them from cents up: rounded to the cent. */
export const cents = (amount) => Math.round(amount * 100) / 100;
