import { formatCount } from '../../format';
import { formatBytes } from '../monitoring/prepare-status';

/** One workspace's storage as the admin table shows it. */
export interface WorkspaceStorageRow {
  id: string;
  name: string;
  rawCalls: string;
  /** "since 3 Jun 2026", or "none". */
  oldest: string;
  rollupRows: string;
  bytes: string;
  retention: string;
}

interface StorageInput {
  id: string;
  name: string;
  retentionDays?: number | null;
  storage: { rawCalls: number; oldestRawCall?: string | null; rollupRows: number; totalBytes: number };
}

/** Workspaces by name with their storage in words: counts with separators, bytes in units, retention in days. */
export function prepareWorkspaceStorage(workspaces: readonly StorageInput[], timeZone: string): WorkspaceStorageRow[] {
  return workspaces.map((w) => ({
    id: w.id,
    name: w.name,
    rawCalls: formatCount(w.storage.rawCalls),
    oldest: w.storage.oldestRawCall
      ? new Date(w.storage.oldestRawCall).toLocaleDateString('en-GB', { timeZone, day: 'numeric', month: 'short', year: 'numeric' })
      : 'none',
    rollupRows: formatCount(w.storage.rollupRows),
    bytes: formatBytes(w.storage.totalBytes),
    retention: w.retentionDays === null || w.retentionDays === undefined ? 'for ever' : `${formatCount(w.retentionDays)} d`,
  }));
}

/** Whether what was typed names the workspace exactly: the delete button waits for it. */
export const confirmsDeletion = (typed: string, name: string): boolean => typed === name;
