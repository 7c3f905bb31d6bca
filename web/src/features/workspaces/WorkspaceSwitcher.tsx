import { useQuery } from '@apollo/client/react';
import { useCombobox } from 'downshift';
import { useDeferredValue, useMemo, useState } from 'react';
import { WorkspaceChoicesDocument } from '../../gql/graphql';
import type { Viewer } from '../../pages';
import { useRoute } from '../../routing';
import { useCommittedScope } from './scope-context';
import { prepareScopeOptions, SCOPE_PARAM, SWITCHER_MATCHES, type ScopeOption } from './workspace-scope';
import './workspace-switcher.css';

/**
 * The admin's choice of scope in the header: their own workspace, every workspace, or one other,
 * found by typing part of its name (the server searches; a platform may hold thousands). An ARIA
 * combobox (downshift's useCombobox): arrows move, Enter chooses, Escape closes. Choosing writes
 * the URL (a new history entry); the app then moves the session to that scope.
 */
export function WorkspaceSwitcher({ viewer }: { viewer: Viewer }) {
  const current = useCommittedScope();
  const { setParam } = useRoute();
  const [search, setSearch] = useState('');
  const deferredSearch = useDeferredValue(search);
  const [picked, setPicked] = useState<ScopeOption | null>(null);
  const { data, previousData, error, loading } = useQuery(WorkspaceChoicesDocument, { variables: { search: deferredSearch, limit: SWITCHER_MATCHES } });
  const found = data?.workspaces ?? previousData?.workspaces ?? null;
  const { options, selected } = useMemo(() => prepareScopeOptions(found, viewer.workspace, current, picked), [found, viewer.workspace, current, picked]);
  // Downshift takes a new object for a new choice (and rewrites the input): the chosen entry keeps
  // its identity while the matches change under the admin's typing.
  const chosen = options.find((option) => option.value === selected) ?? null;
  const chosenValue = chosen?.value;
  const chosenLabel = chosen?.label;
  const selectedOption = useMemo<ScopeOption | null>(
    () => (chosenValue !== undefined && chosenLabel !== undefined ? { value: chosenValue, label: chosenLabel, group: 'workspace' } : null),
    [chosenValue, chosenLabel],
  );
  const typed = search.trim().toLowerCase();
  const items = useMemo(
    () => options.filter((option) => option.group === 'workspace' || typed === '' || option.label.toLowerCase().includes(typed)),
    [options, typed],
  );
  const { isOpen, getLabelProps, getInputProps, getMenuProps, getItemProps, getToggleButtonProps, highlightedIndex } = useCombobox<ScopeOption>({
    items,
    selectedItem: selectedOption,
    itemToString: (option) => option?.label ?? '',
    onInputValueChange: ({ inputValue, type }) => {
      if (type === useCombobox.stateChangeTypes.InputChange) setSearch(inputValue);
    },
    onIsOpenChange: ({ isOpen: open }) => {
      if (!open) setSearch('');
    },
    onSelectedItemChange: ({ selectedItem }) => {
      if (!selectedItem) return;
      setPicked(selectedItem);
      setParam(SCOPE_PARAM, selectedItem.value);
    },
  });
  const more = data && data.workspaces.length >= SWITCHER_MATCHES;
  return (
    <span className={current === null ? 'scope-switcher' : 'scope-switcher scope-widened'}>
      <label {...getLabelProps()} className="visually-hidden">
        Workspace scope
      </label>
      <span className="scope-combobox">
        <input
          // Typing replaces the chosen scope's name rather than adding to it.
          {...getInputProps({ placeholder: 'Find a workspace…', onFocus: (event) => event.currentTarget.select() })}
          className="scope-input"
          title={error ? `The workspace list could not be loaded: ${error.message}` : 'Whose data the pages show: type to find a workspace'}
        />
        <button type="button" {...getToggleButtonProps()} className="scope-toggle" aria-label="Show scopes and workspaces">
          <span aria-hidden="true">▾</span>
        </button>
      </span>
      <div className={isOpen ? 'scope-popup scope-popup-open' : 'scope-popup'}>
        <ul {...getMenuProps()} className="scope-menu">
          {isOpen
            ? items.map((option, index) => (
                <li
                  key={option.value}
                  {...getItemProps({ item: option, index })}
                  className={[
                    'scope-option',
                    index === highlightedIndex ? 'scope-option-active' : '',
                    option.value === selected ? 'scope-option-chosen' : '',
                    option.group === 'workspace' && index > 0 && items[index - 1].group === 'scope' ? 'scope-option-first-workspace' : '',
                  ].join(' ')}
                >
                  {option.label}
                </li>
              ))
            : null}
        </ul>
        {isOpen && !loading && typed !== '' && items.every((option) => option.group === 'scope') ? (
          <p className="scope-note">No workspace matches “{search.trim()}”</p>
        ) : null}
        {isOpen && more ? <p className="scope-note">The first {SWITCHER_MATCHES} by name: type more of a name to narrow</p> : null}
      </div>
    </span>
  );
}
