import { DRAWING_ONLY } from './ChartFrame';

/** What a pie needs of a prepared slice: its key, its size and the colour decided for it. */
export interface ColoredSlice {
  id: string;
  value: number;
  color: string;
}

/** The nivo Pie props that draw prepared slices as they are given: in their order, each in its own colour, without motion. */
export function preparedSliceProps<Slice extends ColoredSlice>(slices: readonly Slice[]) {
  const colorOf = new Map(slices.map((slice) => [slice.id, slice.color]));
  return {
    data: slices,
    id: 'id',
    value: 'value',
    sortByValue: false,
    colors: (datum: { id: string | number }) => colorOf.get(String(datum.id)) ?? '#888',
    borderWidth: 0,
    activeOuterRadiusOffset: 4,
    ...DRAWING_ONLY,
    animate: false,
  } as const;
}
