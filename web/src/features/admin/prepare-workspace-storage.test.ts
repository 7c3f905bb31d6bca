import { confirmsDeletion, prepareWorkspaceStorage } from './prepare-workspace-storage';

describe('prepareWorkspaceStorage', () => {
  it('writes counts with separators, bytes in units, the oldest call as a day and retention in days', () => {
    const rows = prepareWorkspaceStorage(
      [
        { id: 'a', name: 'Acme', retentionDays: 30, storage: { rawCalls: 12345, oldestRawCall: '2026-06-03T14:00:00Z', rollupRows: 678, totalBytes: 5 * 1024 * 1024 } },
        { id: 'b', name: 'Empty', retentionDays: null, storage: { rawCalls: 0, oldestRawCall: null, rollupRows: 0, totalBytes: 0 } },
      ],
      'UTC',
    );
    expect(rows[0]).toEqual({ id: 'a', name: 'Acme', rawCalls: '12,345', oldest: '3 Jun 2026', rollupRows: '678', bytes: '5.0 MiB', retention: '30 d' });
    expect(rows[1]).toMatchObject({ rawCalls: '0', oldest: 'none', retention: 'for ever' });
  });
});

describe('confirmsDeletion', () => {
  it('needs the name exactly, in its case and spacing', () => {
    expect(confirmsDeletion('Acme', 'Acme')).toBe(true);
    expect(confirmsDeletion('acme', 'Acme')).toBe(false);
    expect(confirmsDeletion('Acme ', 'Acme')).toBe(false);
  });
});
