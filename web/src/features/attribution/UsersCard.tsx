import { useQuery } from '@apollo/client/react';
import { useId, useState } from 'react';
import { Card } from '../../components/Card';
import { listCardStatus } from '../../components/card-status';
import { Sparkline } from '../../components/charts/Sparkline';
import { type Period, type UsageFilter } from '../../gql/graphql';
import { UsageByDimensionDocument, UsersDailyCostDocument } from './gql/graphql';
import { periodOption } from '../../period';
import { hashFor, useRoute } from '../../routing';
import { DAILY_COST_WORDS } from '../agents/prepare-agents';
import { dailyCostPerUser, periodDays, prepareUsageEntries, searchEntries, type UsageEntry } from './prepare-attribution';
import { UsageEntriesTable } from './UsageEntriesTable';
import { withoutFilter } from './usage-filter';
import './attribution.css';

/** The costliest users the card fetches, and so searches by part of an id. */
export const USERS_FETCHED = 200;
/** The users the card lists at first. */
export const USERS_SHOWN = 10;
/** The users each "Show more" adds, up to the fetched ones. */
export const USERS_MORE = 50;

/**
 * The costliest end users of the period under the page's filter, each with its cost per day; a
 * search finds a user by part of its id among the fetched ones, or by its exact id among all.
 */
export function UsersCard({ period, timeZone, filter }: { period: Period; timeZone: string; filter: UsageFilter | undefined }) {
  const [search, setSearch] = useState('');
  const [shownCount, setShownCount] = useState(USERS_SHOWN);
  const searchId = useId();
  const { data, loading, error, refetch } = useQuery(UsageByDimensionDocument, { variables: { period, dimension: 'USER', filter, limit: USERS_FETCHED } });
  const entries = data ? prepareUsageEntries(data.usageMetrics.rows) : null;
  const matches = entries ? searchEntries(entries, search) : [];
  const needle = search.trim();
  // Past the fetched ones, only an exact id can be asked for: the gateway has no search by part of an id.
  const exact = useQuery(UsageByDimensionDocument, {
    variables: { period, dimension: 'USER', filter: { ...filter, userIds: [needle] }, limit: 1 },
    skip: !entries || !needle || matches.length > 0,
  });
  const found = needle && matches.length === 0 && exact.data ? prepareUsageEntries(exact.data.usageMetrics.rows) : [];
  const listed = matches.length ? matches : found;
  const shown = listed.slice(0, shownCount);
  const named = shown.filter((entry) => entry.named).map((entry) => entry.id);
  const days = periodDays(period, new Date(), timeZone);
  const trends = useQuery(UsersDailyCostDocument, { variables: { period, timezone: timeZone, filter: { ...filter, userIds: named } }, skip: named.length === 0 });
  const perUser = trends.data ? dailyCostPerUser(trends.data.usageMetrics.rows, days, timeZone) : null;
  const phrase = periodOption(period).phrase;
  const status = listCardStatus(
    { loading, error, refetch },
    entries,
    <p>
      No calls in {phrase}{filter ? ' under this filter' : ''}. A call names its end user with <code>userId</code>.
    </p>,
  );
  const count = entries ? `${entries.length === USERS_FETCHED ? `${USERS_FETCHED}+` : entries.length} ${entries.length === 1 ? 'user' : 'users'}` : '';
  return (
    <Card
      title="Users"
      caption={
        <>
          <span>
            The costliest end users over {phrase}, with their cost per day. Search by part of an id among the {USERS_FETCHED} costliest, or by a whole id among every user.
          </span>
          <span className="card-controls">
            <span className="control users-table-search">
              <label htmlFor={searchId}>Find a user</label>
              <input id={searchId} className="input" type="search" value={search} onChange={(event) => {
                  setSearch(event.target.value);
                  setShownCount(USERS_SHOWN);
                }} placeholder="user id" autoComplete="off" />
            </span>
          </span>
        </>
      }
      aside={entries ? <span className="figure">{count}</span> : null}
      className="card-wide"
      status={status}
      minBodyHeight={200}
    >
      {needle && shown.length === 0 ? (
        <p className="muted" role="status">
          {exact.loading ? 'Looking for that user…' : <>No user matches “{needle}” in {phrase}.</>}
        </p>
      ) : (
        <>
          <UsersTable entries={shown} trends={perUser} days={days.length} />
          {listed.length > shown.length ? (
            <div className="table-pager">
              <span className="muted small">
                {shown.length} of {listed.length} shown
              </span>
              <button type="button" className="button" onClick={() => setShownCount(shown.length + USERS_MORE)}>
                Show {Math.min(USERS_MORE, listed.length - shown.length)} more
              </button>
            </div>
          ) : !needle && shown.length === USERS_FETCHED ? (
            <p className="table-pager muted small">The {USERS_FETCHED} costliest are listed; find any other user by its whole id.</p>
          ) : null}
        </>
      )}
    </Card>
  );
}

function UsersTable({ entries, trends, days }: { entries: UsageEntry[]; trends: Map<string, number[]> | null; days: number }) {
  const { route } = useRoute();
  const linkParams = withoutFilter(route.params);
  return (
    <UsageEntriesTable
      entries={entries}
      label="Users"
      caption="End users with their cost per day, requests, tokens and cost"
      nameHeader="User"
      name={(entry) => (entry.named ? <a href={hashFor('users', linkParams, entry.id)}>{entry.label}</a> : <span className="muted">{entry.label}</span>)}
      extra={{
        header: 'Daily cost',
        cell: (entry) =>
          entry.named && trends ? <Sparkline values={trends.get(entry.id) ?? new Array<number>(days).fill(0)} label={`Daily cost of ${entry.label}`} words={DAILY_COST_WORDS} /> : null,
      }}
    />
  );
}
