import { useLayoutEffect, useRef, useState, type ReactNode } from 'react';

/** Props of a scrolling box. */
export interface ScrollAreaProps {
  /** What it holds, named for a keyboard user who lands on it: "Live calls". */
  label: string;
  /** More classes besides `table-scroll`. */
  className?: string;
  children: ReactNode;
}

/**
 * A box that scrolls what does not fit in it (a wide or long table). While its content overflows
 * it is a named region in the tab order, so the keyboard can scroll it; when everything fits it
 * is a plain box and adds no tab stop.
 */
export function ScrollArea({ label, className, children }: ScrollAreaProps) {
  const ref = useRef<HTMLDivElement | null>(null);
  const [overflows, setOverflows] = useState(false);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    const check = () => setOverflows(element.scrollWidth > element.clientWidth || element.scrollHeight > element.clientHeight);
    check();
    if (typeof ResizeObserver === 'undefined') return;
    // The box resizes with the window; its content grows as rows arrive.
    const observer = new ResizeObserver(check);
    observer.observe(element);
    for (const child of element.children) observer.observe(child);
    return () => observer.disconnect();
  }, [children]);
  return (
    <div
      ref={ref}
      className={className ? `table-scroll ${className}` : 'table-scroll'}
      {...(overflows ? { tabIndex: 0, role: 'region', 'aria-label': label } : {})}
    >
      {children}
    </div>
  );
}
