import { ALL_WORKSPACES, describeScope, isScopeRefusal, openingScope, paramForScope, prepareScopeOptions, scopeFromParam, type WorkspaceChoice } from './workspace-scope';

const own = { id: '11111111-1111-4111-8111-111111111111', name: 'Demo' };
const acme: WorkspaceChoice = { id: '22222222-2222-4222-8222-222222222222', name: 'Acme', plan: 'pro' };
const beta: WorkspaceChoice = { id: '33333333-3333-4333-8333-333333333333', name: 'Beta', plan: 'free' };

describe('openingScope', () => {
  it.each([
    ['all', null, ALL_WORKSPACES],
    ['all', acme.id, ALL_WORKSPACES],
    ['mine', ALL_WORKSPACES, null],
    [acme.id, null, acme.id],
    [null, acme.id, acme.id],
    ['not-a-workspace', ALL_WORKSPACES, ALL_WORKSPACES],
    [null, null, null],
  ])('opens on the address %p with %p stored in %p', (param, stored, scope) => {
    expect(openingScope(param, stored)).toBe(scope);
  });
});

describe('scopeFromParam', () => {
  it.each([
    [null, undefined],
    ['mine', null],
    ['all', ALL_WORKSPACES],
    [acme.id, acme.id],
    [acme.id.toUpperCase(), acme.id],
    [own.id, null],
    ['__all__', undefined],
    ['not-a-workspace', undefined],
    ['', undefined],
  ])('reads %p as %p', (param, scope) => {
    expect(scopeFromParam(param, own.id)).toBe(scope);
  });
});

describe('paramForScope', () => {
  it.each([
    [null, 'mine'],
    [ALL_WORKSPACES, 'all'],
    [acme.id, acme.id],
  ])('writes %p as %p, which reads back as the same scope', (scope, param) => {
    expect(paramForScope(scope)).toBe(param);
    expect(scopeFromParam(param, own.id)).toBe(scope);
  });
});

describe('prepareScopeOptions', () => {
  it('offers my workspace, all workspaces, then the others by name without my own', () => {
    const { options, selected } = prepareScopeOptions([beta, { ...own, plan: 'enterprise' }, acme], own, null);
    expect(options.map((option) => [option.value, option.label, option.group])).toEqual([
      ['mine', 'My workspace (Demo)', 'scope'],
      ['all', 'All workspaces', 'scope'],
      [acme.id, 'Acme · pro', 'workspace'],
      [beta.id, 'Beta · free', 'workspace'],
    ]);
    expect(selected).toBe('mine');
  });

  it.each([
    [ALL_WORKSPACES, 'all'],
    [beta.id, beta.id],
  ])('selects the current scope %p as %p', (current, selected) => {
    expect(prepareScopeOptions([acme, beta], own, current).selected).toBe(selected);
  });

  it('keeps an entry for a chosen workspace the list does not hold yet', () => {
    const { options, selected } = prepareScopeOptions(null, own, acme.id);
    expect(selected).toBe(acme.id);
    expect(options.at(-1)).toEqual({ value: acme.id, label: 'Workspace 22222222…', group: 'workspace' });
  });
});

describe('describeScope', () => {
  it.each([
    [null, 'My workspace'],
    [ALL_WORKSPACES, 'All workspaces'],
    [acme.id, 'Acme'],
    [beta.id, 'Workspace 33333333…'],
  ])('calls %p %p', (scope, words) => {
    expect(describeScope(scope, [acme])).toBe(words);
  });
});

describe('isScopeRefusal', () => {
  const graphQLError = (code: string, message: string) => ({ errors: [{ message, extensions: { code } }] });
  it.each([
    ['a member sending a scope', true, graphQLError('FORBIDDEN', 'X-Workspace-ID may name only your own workspace (x) with a member key, but got "__all__"')],
    ['a scope naming no workspace', true, graphQLError('BAD_USER_INPUT', 'X-Workspace-ID names no workspace: "x"')],
    ['another forbidden operation', false, graphQLError('FORBIDDEN', 'Only admins may do this')],
    ['a refused key', false, graphQLError('UNAUTHENTICATED', 'This API key is not valid')],
    ['a network error', false, new Error('Failed to fetch')],
    ['no error', false, undefined],
  ])('with %s, the scope is refused: %p', (_, refused, error) => {
    expect(isScopeRefusal(error)).toBe(refused);
  });
});
