import { parse } from 'graphql';
import { connectionParamsFor, dashboardHeaders, isSubscription } from './explorer-fetcher';

describe('the GraphiQL explorer', () => {
  it('signs with the dashboard key and the admin scope as HTTP headers', () => {
    expect(dashboardHeaders('tly_key', '__all__')).toEqual({ Authorization: 'Bearer tly_key', 'X-Workspace-ID': '__all__' });
    expect(dashboardHeaders('tly_key', null)).toEqual({ Authorization: 'Bearer tly_key' });
    expect(dashboardHeaders(null, null)).toEqual({});
  });

  it('turns the headers, whatever their case, into the connection_init payload the gateway reads', () => {
    expect(connectionParamsFor({ AUTHORIZATION: 'Bearer a', 'x-workspace-id': 'w1', 'X-Other': 'x' })).toEqual({
      authorization: 'Bearer a',
      workspaceId: 'w1',
    });
    expect(connectionParamsFor({})).toEqual({});
  });

  it.each([
    ['subscription S { alertRaised { id } } query Q { viewer { role } }', 'S', true],
    ['subscription S { alertRaised { id } } query Q { viewer { role } }', 'Q', false],
    ['subscription { alertRaised { id } }', null, true],
    ['{ viewer { role } }', null, false],
  ])('sends %s (operation %s) over the WebSocket: %s', (document, operationName, expected) => {
    expect(isSubscription(parse(document), operationName)).toBe(expected);
  });
});
