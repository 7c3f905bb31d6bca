import { useQuery } from '@apollo/client/react';
import { useId } from 'react';
import { WorkspaceChoicesDocument } from '../../gql/graphql';
import type { Viewer } from '../../pages';
import { useRoute } from '../../routing';
import { useCommittedScope } from './scope-context';
import { prepareScopeOptions, SCOPE_PARAM } from './workspace-scope';
import './workspace-switcher.css';

/**
 * The admin's choice of scope in the header: their own workspace, every workspace, or one other.
 * Choosing writes the URL (a new history entry); the app then moves the session to that scope.
 */
export function WorkspaceSwitcher({ viewer }: { viewer: Viewer }) {
  const id = useId();
  const current = useCommittedScope();
  const { setParam } = useRoute();
  const { data, error } = useQuery(WorkspaceChoicesDocument);
  const { options, selected } = prepareScopeOptions(data?.workspaces ?? null, viewer.workspace, current);
  const scopes = options.filter((option) => option.group === 'scope');
  const workspaces = options.filter((option) => option.group === 'workspace');
  return (
    <span className={current === null ? 'scope-switcher' : 'scope-switcher scope-widened'}>
      <label htmlFor={id} className="visually-hidden">
        Workspace scope
      </label>
      <select
        id={id}
        className="scope-select"
        value={selected}
        onChange={(event) => setParam(SCOPE_PARAM, event.target.value)}
        title={error ? `The workspace list could not be loaded: ${error.message}` : 'Whose data the pages show'}
      >
        {scopes.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
        {workspaces.length > 0 ? (
          <optgroup label="One workspace">
            {workspaces.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </optgroup>
        ) : null}
      </select>
    </span>
  );
}
