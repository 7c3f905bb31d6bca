import { prepareSparkline, type SparklineWords } from './sparkline';

const BOX = { width: 96, height: 20 };

/** A small line of recent values, small enough for a table cell; its accessible name says what it shows in words (response times unless `words` says otherwise). */
export function Sparkline({ values, label, words }: { values: readonly number[]; label: string; words?: SparklineWords }) {
  const view = prepareSparkline(values, BOX, words);
  return (
    <svg
      className="sparkline"
      role="img"
      aria-label={`${label}. ${view.summary}`}
      viewBox={`-2 -2 ${BOX.width + 4} ${BOX.height + 4}`}
      width={BOX.width + 4}
      height={BOX.height + 4}
    >
      <title>{view.summary}</title>
      {view.path ? <path d={view.path} fill="none" stroke="currentColor" strokeWidth={1.25} strokeLinejoin="round" vectorEffect="non-scaling-stroke" /> : null}
      {view.last ? <circle cx={view.last.x} cy={view.last.y} r={2} fill="currentColor" /> : null}
    </svg>
  );
}
