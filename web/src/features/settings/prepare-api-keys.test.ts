import type { ApiKeyFieldsFragment } from '../../gql/graphql';
import { checkKeyLabel, expiresAtFor, grantableRoles, prepareApiKeys } from './prepare-api-keys';

const NOW = new Date('2026-06-01T12:00:00.000Z');
const key = (over: Partial<ApiKeyFieldsFragment>): ApiKeyFieldsFragment => ({
  __typename: 'ApiKey',
  id: 'k1',
  label: 'agent',
  role: 'INGEST',
  workspaceId: 'w1',
  prefix: 'tly_ab12',
  createdAt: '2026-05-01T08:00:00.000Z',
  lastUsedAt: null,
  expiresAt: null,
  revokedAt: null,
  ...over,
});

describe('grantableRoles', () => {
  it.each([
    ['ADMIN', ['INGEST', 'VIEWER', 'MEMBER', 'ADMIN']],
    ['MEMBER', ['INGEST', 'VIEWER', 'MEMBER']],
    ['VIEWER', []],
    ['INGEST', []],
  ] as const)('lets %s hand out %j', (role, roles) => {
    expect(grantableRoles(role)).toEqual(roles);
  });
});

describe('expiresAtFor', () => {
  it('adds the chosen days to now, or gives none', () => {
    expect(expiresAtFor('30', NOW)).toBe('2026-07-01T12:00:00.000Z');
    expect(expiresAtFor('never', NOW)).toBeNull();
  });
});

describe('prepareApiKeys', () => {
  it('shows only the prefix, says never for an unused key, and puts working keys first, newest first', () => {
    const rows = prepareApiKeys(
      [
        key({ id: 'old', createdAt: '2026-04-01T08:00:00.000Z', lastUsedAt: '2026-05-30T09:15:00.000Z' }),
        key({ id: 'revoked', createdAt: '2026-05-20T08:00:00.000Z', revokedAt: '2026-05-21T10:00:00.000Z' }),
        key({ id: 'expired', createdAt: '2026-05-25T08:00:00.000Z', expiresAt: '2026-06-01T12:00:00.000Z' }),
        key({ id: 'new', label: null, role: 'VIEWER', createdAt: '2026-05-30T08:00:00.000Z' }),
      ],
      'UTC',
      NOW,
    );
    expect(rows.map((r) => [r.id, r.stateLabel])).toEqual([
      ['new', 'Active'],
      ['old', 'Active'],
      ['expired', 'Expired'],
      ['revoked', 'Revoked 21 May 2026, 10:00'],
    ]);
    expect(rows[0]).toMatchObject({ label: 'Unlabelled key', roleLabel: 'Viewer', shown: 'tly_ab12…', lastUsed: 'never', expires: 'never' });
    expect(rows[1].lastUsed).toBe('30 May 2026, 09:15');
  });
});

describe('checkKeyLabel', () => {
  it('takes up to 200 characters and says how many arrived beyond', () => {
    expect(checkKeyLabel('support bot')).toBeNull();
    expect(checkKeyLabel('x'.repeat(201))).toBe('That label is 201 characters; labels are at most 200.');
  });
});
