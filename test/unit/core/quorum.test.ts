import { describe, expect, it } from '@jest/globals';
import type { Action } from '../../../functions/core/model.js';
import { missingRoles, quorumRolesOf, roleRefusal } from '../../../functions/core/quorum.js';

const withApprovals = (approvals: Action['approvals']): Action =>
  ({ id: 'a', status: 'Pending', approvals }) as Action;

const twoRoles = (received: NonNullable<Action['approvals']>['received']) =>
  withApprovals({
    required: 2,
    received,
    fromRoles: ['SecurityAdmin', 'ActiveRemediationActions'],
    policy: ['two-roles'],
  });

describe('a quorum that names roles', () => {
  it('takes a first approval from either role and keeps only the roles it names', () => {
    const action = twoRoles([]);

    expect(roleRefusal(action, ['SecurityAdmin', 'SearchAndPurge'])).toBeUndefined();
    expect(quorumRolesOf(action, ['SecurityAdmin', 'SearchAndPurge'])).toEqual(['SecurityAdmin']);
  });

  it('refuses the last approval from a role already counted, naming the role still missing', () => {
    const action = twoRoles([
      { by: 'x', at: '2026-12-01T00:00:00.000Z', roles: ['SecurityAdmin'] },
    ]);

    expect(missingRoles(action)).toEqual(['ActiveRemediationActions']);
    expect(roleRefusal(action, ['SecurityAdmin'])).toBe(
      'This action still needs an approval from ActiveRemediationActions (policy two-roles)',
    );
    expect(roleRefusal(action, ['ActiveRemediationActions'])).toBeUndefined();
  });

  it('lets anyone allowed approve while enough approvals are left to cover the missing roles', () => {
    const action = withApprovals({
      required: 3,
      received: [],
      fromRoles: ['SecurityAdmin', 'ActiveRemediationActions'],
    });

    expect(roleRefusal(action, ['GlobalAdmin'])).toBeUndefined();
    expect(quorumRolesOf(action, ['GlobalAdmin'])).toEqual([]);
  });

  it('asks nothing of roles when the quorum names none', () => {
    const action = withApprovals({ required: 2, received: [] });

    expect(roleRefusal(action, [])).toBeUndefined();
    expect(quorumRolesOf(action, ['SecurityAdmin'])).toBeUndefined();
  });
});
