import './share-meter.css';

/**
 * A thin bar filled to `share` (0 to 1): a row's part of the largest row or of the whole. Hidden
 * from screen readers: the figure beside it says the same.
 */
export function ShareBar({ share, color, className }: { share: number; color?: string; className?: string }) {
  return (
    <span className={className ? `share-meter ${className}` : 'share-meter'} aria-hidden="true">
      <span style={{ width: `${Math.round(share * 100)}%`, background: color }} />
    </span>
  );
}
