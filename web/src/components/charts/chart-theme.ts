import type { ResponsiveBar } from '@nivo/bar';
import type { ComponentProps } from 'react';

/** nivo's theme object (the same shape for every chart type). */
export type ChartTheme = NonNullable<ComponentProps<typeof ResponsiveBar>['theme']>;

const INK = {
  light: { text: '#4b5563', strong: '#111827', grid: '#e5e7eb', axis: '#d1d5db', surface: '#ffffff' },
  dark: { text: '#9ca3af', strong: '#f3f4f6', grid: '#2a3140', axis: '#374151', surface: '#1b2130' },
} as const;

/** The charts' text, grid and tooltip colours for a colour scheme. */
export function chartTheme(scheme: 'light' | 'dark'): ChartTheme {
  const ink = INK[scheme];
  return {
    background: 'transparent',
    text: { fontSize: 12, fill: ink.text, fontFamily: 'inherit' },
    axis: {
      domain: { line: { stroke: ink.axis, strokeWidth: 1 } },
      ticks: { line: { stroke: ink.axis, strokeWidth: 1 }, text: { fill: ink.text, fontSize: 11 } },
      legend: { text: { fill: ink.text, fontSize: 12 } },
    },
    grid: { line: { stroke: ink.grid, strokeWidth: 1 } },
    crosshair: { line: { stroke: ink.text, strokeWidth: 1, strokeOpacity: 0.5 } },
    labels: { text: { fill: ink.strong, fontSize: 12, fontWeight: 600 } },
    tooltip: {
      container: {
        background: ink.surface,
        color: ink.strong,
        fontSize: 12,
        borderRadius: 6,
        boxShadow: '0 4px 16px rgba(0, 0, 0, 0.18)',
        padding: '8px 10px',
      },
    },
  };
}
