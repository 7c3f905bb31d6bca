import type { PageProps } from '../../pages';
import { useRoute } from '../../routing';
import { UserDetail } from './UserDetail';
import { UsersCard } from './UsersCard';
import './attribution.css';

/** The Users page: at `#/users/<id>` one end user in detail; without an id, every user by cost. */
export function UsersPage({ period, timeZone }: PageProps) {
  const { route } = useRoute();
  return <div className="grid">{route.detail ? <UserDetail id={route.detail} period={period} timeZone={timeZone} /> : <UsersCard period={period} timeZone={timeZone} filter={undefined} />}</div>;
}
