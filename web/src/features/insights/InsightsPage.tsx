import { useQuery } from '@apollo/client/react';
import { useEffect, useId, useState, type FormEvent } from 'react';
import { ChartPresetsDocument, type ChartType } from '../../gql/graphql';
import type { PageProps } from '../../pages';
import { hashFor, navigate, useRoute } from '../../routing';
import { InsightChartCard } from './InsightChartCard';
import { HISTORY_KEY, isPin, isQuestion, pinIdOf, PINS_KEY, rememberQuestion, togglePin, type ChartRequest } from './insights-storage';
import { useStoredList } from './use-stored-list';
import './insights.css';

const CHART_TYPES: readonly { value: ChartType | 'AUTO'; label: string }[] = [
  { value: 'AUTO', label: 'Auto' },
  { value: 'BAR', label: 'Bar' },
  { value: 'LINE', label: 'Line' },
  { value: 'AREA', label: 'Area' },
  { value: 'PIE', label: 'Pie' },
];
const PAGE = 'insights';

/** The request the URL names: ?q=… or ?preset=…, and ?type= to force a chart type. */
function requestFrom(params: URLSearchParams): ChartRequest | null {
  const type = params.get('type');
  const chartType = CHART_TYPES.some((t) => t.value === type && type !== 'AUTO') ? (type as ChartType) : null;
  const query = params.get('q');
  if (query && query.trim()) return { query, chartType };
  const presetId = params.get('preset');
  if (presetId) return { presetId, chartType };
  return null;
}

function hashOf(request: ChartRequest): string {
  const params: Record<string, string> = {};
  if (request.query) params.q = request.query;
  if (request.presetId) params.preset = request.presetId;
  if (request.chartType) params.type = request.chartType;
  return hashFor(PAGE, params);
}

/** The Insights page: ask in plain words (or pick a preset), get a chart, its summary and how the question was read. */
export function InsightsPage(_props: PageProps) {
  const { route } = useRoute();
  const request = requestFrom(route.params);
  const presets = useQuery(ChartPresetsDocument);
  const [history, setHistory] = useStoredList(HISTORY_KEY, isQuestion);
  const [pins, setPins] = useStoredList(PINS_KEY, isPin);
  const [draft, setDraft] = useState(request?.query ?? '');
  const inputId = useId();
  const typeName = useId();


  const ask = (next: ChartRequest) => {
    if (next.query) setHistory(rememberQuestion(history, next.query));
    navigate(hashOf(next));
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (draft.trim()) ask({ query: draft.trim(), chartType: null });
  };

  const preset = request?.presetId ? presets.data?.chartPresets.find((p) => p.id === request.presetId) : undefined;
  // The box follows the URL (back button, a shared link, a preset's question).
  const askedText = request?.query ?? preset?.query;
  useEffect(() => {
    if (askedText !== undefined) setDraft(askedText);
  }, [askedText]);
  const pinned = request ? pins.some((pin) => pin.id === pinIdOf(request)) : false;
  const fallbackTitle = request?.query ?? preset?.title ?? 'Chart';

  return (
    <div className="grid insights">
      <section className="card card-wide insight-ask" aria-labelledby={`${inputId}-heading`}>
        <h2 id={`${inputId}-heading`} className="card-title">
          Ask in plain words
        </h2>
        <p className="card-caption">
          Measures (cost, tokens, requests, latency, errors), groupings (by model, provider, agent, request type…), a time (last 7 days,
          yesterday, since 1 June) and filters (for gpt-4o, only anthropic, errors only). Nothing leaves the gateway: no language model reads it.
        </p>
        <form className="insight-form" onSubmit={submit} role="search">
          <label htmlFor={inputId} className="visually-hidden">
            Your question
          </label>
          <input
            id={inputId}
            className="insight-input"
            type="search"
            value={draft}
            placeholder="e.g. which agent spent the most this month?"
            autoComplete="off"
            maxLength={500}
            onChange={(event) => setDraft(event.target.value)}
          />
          <button type="submit" className="button button-primary" disabled={!draft.trim()}>
            Chart it
          </button>
        </form>
        <div className="insight-chip-row">
          <span className="insight-chip-label">Presets</span>
          <div className="insight-chips">
            {presets.data
              ? presets.data.chartPresets.map((p) => (
                  <button
                    key={p.id}
                    type="button"
                    className={request?.presetId === p.id ? 'chip chip-selected' : 'chip'}
                    title={`${p.description} (“${p.query}”)`}
                    aria-pressed={request?.presetId === p.id}
                    onClick={() => ask({ presetId: p.id, chartType: null })}
                  >
                    {p.title}
                  </button>
                ))
              : presets.error
                ? <span className="muted small">Presets could not be loaded: {presets.error.message}</span>
                : <span className="muted small">Loading presets…</span>}
          </div>
        </div>
        {history.length > 0 ? (
          <div className="insight-chip-row">
            <span className="insight-chip-label">Recent</span>
            <div className="insight-chips">
              {history.map((question) => (
                <button key={question} type="button" className="chip chip-quiet" onClick={() => ask({ query: question, chartType: null })}>
                  {question}
                </button>
              ))}
              <button type="button" className="button button-quiet button-tiny" onClick={() => setHistory([])}>
                Clear
              </button>
            </div>
          </div>
        ) : null}
      </section>

      {request ? (
        <InsightChartCard
          key={pinIdOf(request)}
          request={request}
          fallbackTitle={fallbackTitle}
          className="card-wide"
          onAsk={(question) => ask({ query: question, chartType: null })}
          actions={
            <div className="insight-actions">
              <fieldset className="segmented segmented-small">
                <legend className="visually-hidden">Draw as</legend>
                {CHART_TYPES.map((option) => {
                  const selected = (request.chartType ?? 'AUTO') === option.value;
                  return (
                    <label key={option.value} className={selected ? 'segment selected' : 'segment'}>
                      <input
                        type="radio"
                        name={typeName}
                        value={option.value}
                        checked={selected}
                        onChange={() => ask({ ...request, chartType: option.value === 'AUTO' ? null : option.value })}
                      />
                      <span>{option.label}</span>
                    </label>
                  );
                })}
              </fieldset>
              <button type="button" className="button" aria-pressed={pinned} onClick={() => setPins(togglePin(pins, request, fallbackTitle))}>
                {pinned ? 'Unpin from Overview' : 'Pin to Overview'}
              </button>
            </div>
          }
        />
      ) : (
        <section className="card card-wide insight-intro">
          <h2 className="card-title">Start with a question or a preset</h2>
          <p className="muted">For example:</p>
          <div className="insight-chips">
            {['cost by model last 7 days', 'p95 latency per model yesterday', 'which agent spent the most this month?', 'daily tokens by provider over the last 30 days', 'error rate by model this week'].map((example) => (
              <button key={example} type="button" className="chip" onClick={() => ask({ query: example, chartType: null })}>
                {example}
              </button>
            ))}
          </div>
        </section>
      )}
    </div>
  );
}
