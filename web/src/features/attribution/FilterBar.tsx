import { useQuery } from '@apollo/client/react';
import { useId, useState, type FormEvent } from 'react';
import { type Period } from '../../gql/graphql';
import { UsageByDimensionDocument } from './gql/graphql';
import { hashFor, navigate, useRoute } from '../../routing';
import { readFilter, writeFilter, type AttributionFilter } from './usage-filter';
import './filter-bar.css';
import { ChoiceSelect } from '../../components/ChoiceSelect';

type Kind = 'tag' | 'meta' | 'user';

const KINDS: readonly { value: Kind; label: string }[] = [
  { value: 'tag', label: 'Tag' },
  { value: 'meta', label: 'Metadata' },
  { value: 'user', label: 'User' },
];

/** How many tags and users the inputs suggest. */
const SUGGESTIONS = 50;

/** The filter with one condition added (a repeat changes nothing). */
export function addCondition(filter: AttributionFilter, kind: Kind, first: string, second = ''): AttributionFilter {
  const value = first.trim();
  if (!value) return filter;
  if (kind === 'tag') return { ...filter, tags: filter.tags.includes(value) ? filter.tags : [...filter.tags, value] };
  if (kind === 'user') return { ...filter, userIds: filter.userIds.includes(value) ? filter.userIds : [...filter.userIds, value] };
  const pair = { key: value, value: second };
  return filter.metadata.some((m) => m.key === pair.key && m.value === pair.value) ? filter : { ...filter, metadata: [...filter.metadata, pair] };
}

/** The filter as removable conditions, in words. */
export function describeConditions(filter: AttributionFilter): { id: string; text: string; without: AttributionFilter }[] {
  return [
    ...filter.tags.map((tag) => ({ id: `tag:${tag}`, text: `tag ${tag}`, without: { ...filter, tags: filter.tags.filter((t) => t !== tag) } })),
    ...filter.metadata.map((pair) => ({
      id: `meta:${pair.key}=${pair.value}`,
      text: `${pair.key} = ${pair.value}`,
      without: { ...filter, metadata: filter.metadata.filter((m) => m !== pair) },
    })),
    ...filter.userIds.map((user) => ({ id: `user:${user}`, text: `user ${user}`, without: { ...filter, userIds: filter.userIds.filter((u) => u !== user) } })),
  ];
}

/**
 * The attribution filter of a page: conditions on tags (every one), metadata pairs (every one)
 * and users (any of them), kept in the URL so the filtered view is a link and survives a reload.
 * `unfiltered` names what on the page cannot be filtered.
 */
export function FilterBar({ period, unfiltered }: { period: Period; unfiltered: string }) {
  const { route } = useRoute();
  const filter = readFilter(route.params);
  const [kind, setKind] = useState<Kind>('tag');
  const [first, setFirst] = useState('');
  const [second, setSecond] = useState('');
  const id = useId();
  const tags = useQuery(UsageByDimensionDocument, { variables: { period, dimension: 'TAG', limit: SUGGESTIONS } });
  const users = useQuery(UsageByDimensionDocument, { variables: { period, dimension: 'USER', limit: SUGGESTIONS } });
  const suggestions = (kind === 'tag' ? tags : users).data?.usageMetrics.rows.map((row) => row.dimensions[0]?.value).filter(Boolean) ?? [];
  const conditions = describeConditions(filter);

  const apply = (next: AttributionFilter) => navigate(hashFor(route.page, writeFilter(route.params, next), route.detail));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!first.trim() || (kind === 'meta' && !second.trim())) return;
    apply(addCondition(filter, kind, first, second.trim()));
    setFirst('');
    setSecond('');
  };

  return (
    <section className="filter-bar" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="filter-title">
        Filter
      </h2>
      {conditions.length ? (
        <ul className="filter-chips" aria-label="Conditions of the filter">
          {conditions.map((condition) => (
            <li key={condition.id} className="filter-chip">
              {condition.text}
              <button type="button" className="filter-chip-remove" aria-label={`Remove ${condition.text}`} onClick={() => apply(condition.without)}>
                ×
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <span className="muted small">Every call counts.</span>
      )}
      <form className="filter-form" aria-label="Add a condition" onSubmit={submit}>
        <label className="visually-hidden" htmlFor={`${id}-kind`}>
          Filter by
        </label>
        <ChoiceSelect id={`${id}-kind`} value={kind} choices={KINDS} onChange={setKind} />
        <label className="visually-hidden" htmlFor={`${id}-first`}>
          {kind === 'meta' ? 'Metadata key' : kind === 'tag' ? 'Tag' : 'User id'}
        </label>
        <input
          id={`${id}-first`}
          className="input"
          value={first}
          onChange={(event) => setFirst(event.target.value)}
          placeholder={kind === 'meta' ? 'key' : kind === 'tag' ? 'tag' : 'user id'}
          list={kind === 'meta' ? undefined : `${id}-suggestions`}
          autoComplete="off"
        />
        {kind === 'meta' ? (
          <>
            <span aria-hidden="true">=</span>
            <label className="visually-hidden" htmlFor={`${id}-second`}>
              Metadata value
            </label>
            <input id={`${id}-second`} className="input" value={second} onChange={(event) => setSecond(event.target.value)} placeholder="value" autoComplete="off" />
          </>
        ) : null}
        <datalist id={`${id}-suggestions`}>
          {suggestions.map((value) => (
            <option key={value} value={value} />
          ))}
        </datalist>
        <button type="submit" className="button">
          Add
        </button>
        {conditions.length ? (
          <button type="button" className="button button-quiet" onClick={() => apply({ tags: [], metadata: [], userIds: [] })}>
            Clear filter
          </button>
        ) : null}
      </form>
      {conditions.length ? (
        <p className="muted small filter-note">
          Figures below count only the calls with every tag and metadata pair{filter.userIds.length ? ', made for one of the users' : ''}. {unfiltered}
        </p>
      ) : null}
    </section>
  );
}
