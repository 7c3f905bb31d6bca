/**
 * The entries a chart draws one by one, from a list sorted most first: all of them when there are
 * at most `top`, else the first `top - 1` and the rest, for the one "other" entry that sums them,
 * so the chart never holds more than `top`.
 */
export function keepTop<T>(sorted: readonly T[], top: number): { shown: readonly T[]; rest: readonly T[] } {
  return sorted.length > top ? { shown: sorted.slice(0, top - 1), rest: sorted.slice(top - 1) } : { shown: sorted, rest: [] };
}
