import { useQuery } from '@apollo/client/react';
import { ChartPresetsDocument } from '../../gql/graphql';
import { hashFor } from '../../routing';
import { OVERVIEW_PRESETS } from './chart-query';
import { InsightChartCard } from './InsightChartCard';
import { isPin, PINS_KEY, type PinnedChart } from './insights-storage';
import { useStoredList } from './use-stored-list';
import './insights.css';

/** The Overview's Insights: two preset charts and every chart pinned on the Insights page. */
export function InsightsSection() {
  const presets = useQuery(ChartPresetsDocument);
  const [pins, setPins] = useStoredList(PINS_KEY, isPin);
  const titleOf = (id: string) => presets.data?.chartPresets.find((p) => p.id === id)?.title ?? id;
  const fixed = OVERVIEW_PRESETS.map((presetId): PinnedChart => ({ id: `preset:${presetId}`, presetId, title: titleOf(presetId) }));
  const shown = [...fixed, ...pins.filter((pin) => !fixed.some((f) => f.id === pin.id))];
  return (
    <section className="card-wide insights-section" aria-labelledby="overview-insights-heading">
      <div className="insights-section-header">
        <h2 id="overview-insights-heading" className="insights-section-title">
          Insights
        </h2>
        <a className="button button-quiet" href={hashFor('insights')}>
          Ask a question
        </a>
      </div>
      <div className="grid">
        {shown.map((pin) => (
          <InsightChartCard
            key={pin.id}
            request={pin}
            fallbackTitle={pin.title}
            variant="compact"
            actions={
              fixed.some((f) => f.id === pin.id) ? null : (
                <button type="button" className="button button-quiet button-tiny" onClick={() => setPins(pins.filter((p) => p.id !== pin.id))}>
                  Unpin
                </button>
              )
            }
          />
        ))}
      </div>
    </section>
  );
}
