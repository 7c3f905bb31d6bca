import { formatDollars } from '../../format';
import type { CostRecommendationsQuery, Impact, RecommendationKind } from '../../gql/graphql';

/** One of llmRecommendations. */
export type RecommendationData = CostRecommendationsQuery['llmRecommendations'][number];

/** A recommendation in words: its kind, its impact as text (never colour alone) and its saving. */
export interface RecommendationItem {
  id: string;
  impact: Impact;
  impactLabel: string;
  kindLabel: string;
  title: string;
  description: string;
  /** "Saves about $12.34 a month", or null when the recommendation is not about money. */
  savingsLabel: string | null;
}

/** The list, and what all of it would save. */
export interface RecommendationList {
  items: RecommendationItem[];
  /** "Up to $123.45 a month in all", or null when none names a saving. */
  totalSavingsLabel: string | null;
}

const IMPACT_LABELS: Record<Impact, string> = { HIGH: 'High impact', MEDIUM: 'Medium impact', LOW: 'Low impact' };

const KIND_LABELS: Record<RecommendationKind, string> = {
  SWITCH_MODEL: 'Switch model',
  REDUCE_ERRORS: 'Reduce errors',
  ENABLE_CACHING: 'Enable caching',
  USE_BYOK: 'Use your own key',
  REDUCE_LATENCY: 'Reduce latency',
  BUDGET: 'Budget',
};

/** The recommendations in the gateway's order (most impact first), in words. */
export function prepareRecommendations(recommendations: readonly RecommendationData[]): RecommendationList {
  const savings = recommendations.map((r) => r.estimatedMonthlySavings).filter((value): value is number => value !== null && value > 0);
  const total = savings.reduce((sum, value) => sum + value, 0);
  return {
    items: recommendations.map((r) => ({
      id: r.id,
      impact: r.impact,
      impactLabel: IMPACT_LABELS[r.impact],
      kindLabel: KIND_LABELS[r.kind],
      title: r.title,
      description: r.description,
      savingsLabel: r.estimatedMonthlySavings !== null && r.estimatedMonthlySavings > 0 ? `Saves about ${formatDollars(r.estimatedMonthlySavings)} a month` : null,
    })),
    totalSavingsLabel: savings.length > 0 ? `Up to ${formatDollars(total)} a month in all` : null,
  };
}
