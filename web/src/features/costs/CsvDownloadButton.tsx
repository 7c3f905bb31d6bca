import { useEffect, useRef, useState } from 'react';
import { describeError } from '../../components/card-status';
import type { Period, UsageFilter } from '../../gql/graphql';
import { periodOption } from '../../period';
import { storedKey, storedWorkspaceId } from '../../session';
import { fetchCallsCsv, formatBytes } from './csv-download';

type DownloadState = { kind: 'idle' } | { kind: 'downloading'; bytes: number } | { kind: 'done'; filename: string; bytes: number } | { kind: 'error'; message: string };

/** Downloads the period's calls (those the attribution filter keeps, if any) as CSV through fetch (the key rides in a header), showing progress, then saves it. */
export function CsvDownloadButton({ period, filter }: { period: Period; filter?: UsageFilter }) {
  const [state, setState] = useState<DownloadState>({ kind: 'idle' });
  const controller = useRef<AbortController | null>(null);
  useEffect(() => () => controller.current?.abort(), []);
  const phrase = periodOption(period).phrase;

  const start = async () => {
    const apiKey = storedKey();
    if (!apiKey) {
      setState({ kind: 'error', message: 'No API key is stored: sign in again.' });
      return;
    }
    controller.current?.abort();
    const abort = new AbortController();
    controller.current = abort;
    setState({ kind: 'downloading', bytes: 0 });
    try {
      const { blob, filename } = await fetchCallsCsv({
        period,
        filter,
        apiKey,
        workspaceId: storedWorkspaceId(),
        signal: abort.signal,
        onProgress: (bytes) => setState({ kind: 'downloading', bytes }),
      });
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = filename;
      document.body.append(link);
      link.click();
      link.remove();
      // Give the browser a moment to start saving before the URL goes.
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setState({ kind: 'done', filename, bytes: blob.size });
    } catch (caught) {
      if (abort.signal.aborted) {
        setState({ kind: 'idle' });
        return;
      }
      setState({ kind: 'error', message: describeError(caught instanceof Error ? caught : new Error(String(caught))) });
    } finally {
      if (controller.current === abort) controller.current = null;
    }
  };

  return (
    <div className="csv-download">
      {state.kind === 'downloading' ? (
        <>
          <span className="csv-progress" role="status">
            <span className="spinner" aria-hidden="true" /> Downloading calls… {formatBytes(state.bytes)}
          </span>
          <button type="button" className="button button-small" onClick={() => controller.current?.abort()}>
            Cancel
          </button>
        </>
      ) : (
        <>
          {state.kind === 'done' ? (
            <span className="muted small" role="status">
              Saved {state.filename} ({formatBytes(state.bytes)})
            </span>
          ) : null}
          {state.kind === 'error' ? (
            <span className="notice notice-error small" role="alert">
              The download failed: {state.message}
            </span>
          ) : null}
          <button type="button" className="button" onClick={() => void start()} title={`Every call of ${phrase}, one row each`}>
            <span aria-hidden="true">⤓ </span>Download CSV <span className="visually-hidden">of the calls of {phrase}</span>
          </button>
        </>
      )}
    </div>
  );
}
