import { useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { Card } from '../../components/Card';
import { queryCardStatus } from '../../components/card-status';
import { CostRecommendationsDocument, type Period } from '../../gql/graphql';
import { periodOption } from '../../period';
import { prepareRecommendations } from './prepare-recommendations';

/** How many recommendations show before "Show all". */
const FIRST_SHOWN = 5;

/** Ways to spend less or fail less, most impact first, each with its monthly saving. */
export function RecommendationsCard({ period }: { period: Period }) {
  const { data, loading, error, refetch } = useQuery(CostRecommendationsDocument, { variables: { period } });
  const [showAll, setShowAll] = useState(false);
  const list = data ? prepareRecommendations(data.llmRecommendations) : null;
  const phrase = periodOption(period).phrase;
  const status = queryCardStatus(
    { loading, error, refetch },
    { hasData: list !== null, isEmpty: list?.items.length === 0 },
    <p>
      Nothing to recommend from {phrase}. Recommendations look for premium models used for short answers, error rates above 5%, long
      prompts that caching would make cheaper, platform-key spend your own key would bill directly, and slow models; a longer period
      gives them more to go on.
    </p>,
  );
  const shown = list ? (showAll ? list.items : list.items.slice(0, FIRST_SHOWN)) : [];
  return (
    <Card
      title="Recommendations"
      caption={list?.totalSavingsLabel ? `${list.totalSavingsLabel}, from ${phrase}` : `From ${phrase}, most impact first`}
      status={status}
      minBodyHeight={200}
    >
      {list ? (
        <>
          <ul className="recommendations">
            {shown.map((item) => (
              <li key={item.id} className="recommendation">
                <div className="recommendation-head">
                  <span className={`badge impact impact-${item.impact.toLowerCase()}`}>{item.impactLabel}</span>
                  <span className="muted small">{item.kindLabel}</span>
                  {item.savingsLabel ? <span className="savings">{item.savingsLabel}</span> : null}
                </div>
                <p className="recommendation-title">{item.title}</p>
                <p className="muted small">{item.description}</p>
              </li>
            ))}
          </ul>
          {list.items.length > FIRST_SHOWN ? (
            <button type="button" className="button button-quiet button-small" onClick={() => setShowAll(!showAll)} aria-expanded={showAll}>
              {showAll ? 'Show fewer' : `Show all ${list.items.length}`}
            </button>
          ) : null}
        </>
      ) : null}
    </Card>
  );
}
