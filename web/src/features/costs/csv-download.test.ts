import { filenameFromDisposition, formatBytes } from './csv-download';

describe('filenameFromDisposition', () => {
  it.each([
    ['attachment; filename="llm-calls-last_7d-2025-05-03.csv"', 'llm-calls-last_7d-2025-05-03.csv'],
    ['attachment; filename=calls.csv', 'calls.csv'],
    ["attachment; filename*=UTF-8''caf%C3%A9.csv", 'café.csv'],
    ['attachment; filename="../../etc/passwd"', '.._.._etc_passwd'],
    ['attachment', 'fallback.csv'],
    [null, 'fallback.csv'],
  ])('reads %p as %p', (header, name) => {
    expect(filenameFromDisposition(header, 'fallback.csv')).toBe(name);
  });
});

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [812, '812 B'],
    [48_200, '48.2 kB'],
    [3_400_000, '3.4 MB'],
  ])('writes %p bytes as %p', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});
