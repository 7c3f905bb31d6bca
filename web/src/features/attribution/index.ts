/** Attribution by end user, tag and metadata: the Users page, the Costs page's breakdowns, the filter bar and the pure functions behind them. */
export { UsersPage } from './UsersPage';
export { UsersCard, USERS_FETCHED, USERS_SHOWN } from './UsersCard';
export { TagsCard } from './TagsCard';
export { FilterSlot } from './FilterSlot';
export { useUsageFilter } from './use-usage-filter';
export { readFilter, writeFilter, withoutFilter, toUsageFilter, isEmptyFilter, FILTER_PARAMS, type AttributionFilter } from './usage-filter';
export { prepareUsageEntries, searchEntries, periodDays, dailyCostPerUser, sessionRows, userFigures, type UsageEntry, type SessionRow } from './prepare-attribution';
