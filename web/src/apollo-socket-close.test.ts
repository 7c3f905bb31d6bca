import { isHealableSocketClose } from './apollo';

describe('subscriptions after the socket closed', () => {
  it.each([
    ['Socket closed with event 1011 Internal Error', true],
    ['Socket closed with event 4500 Internal server error', true],
    ['Socket closed with event 4403 Forbidden', false],
    ['Socket closed with event 4401 Unauthorized', false],
    ['Socket closed with event 4400 Bad request', false],
    ['Socket closed', false],
    ['Cannot query field "x" on type "Query"', false],
  ])('"%s" is subscribed again: %s', (message, expected) => {
    expect(isHealableSocketClose(new Error(message))).toBe(expected);
  });

  it('leaves anything that is not an error alone', () => {
    expect(isHealableSocketClose({ code: 1011 })).toBe(false);
  });
});
