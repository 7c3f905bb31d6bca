import { prepareAuditLog } from './prepare-audit-log';

describe('prepareAuditLog', () => {
  it('says who, what and when in words, in the display zone', () => {
    const rows = prepareAuditLog(
      [
        {
          __typename: 'AuditEntry',
          id: 'a1',
          at: '2026-06-01T12:00:05.000Z',
          workspaceId: 'w1',
          actorKeyId: 'k1',
          actorLabel: 'ops lead',
          actorRole: 'MEMBER',
          action: 'setBudget',
          target: 'b1',
        },
        { __typename: 'AuditEntry', id: 'a2', at: '2026-06-01T12:00:00.000Z', workspaceId: null, actorKeyId: null, actorLabel: null, actorRole: 'ADMIN', action: 'newThing', target: null },
      ],
      'Europe/Paris',
    );
    expect(rows).toEqual([
      { id: 'a1', at: '2026-06-01T12:00:05.000Z', when: '1 Jun 2026, 14:00:05', who: 'ops lead (member)', what: 'Set a budget (setBudget)', target: 'b1' },
      { id: 'a2', at: '2026-06-01T12:00:00.000Z', when: '1 Jun 2026, 14:00:00', who: 'Unlabelled key (admin)', what: 'newThing', target: null },
    ]);
  });
});
