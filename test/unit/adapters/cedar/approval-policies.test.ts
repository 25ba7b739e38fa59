// The default Cedar policies against the role table they replace, case by case, and how a policy
// file with a mistake stops start-up.
import { describe, expect, it } from '@jest/globals';
import { DEFAULT_POLICIES } from '../../../../functions/adapters/cedar/default-policies.js';
import {
  CedarApprovalPolicies,
  loadApprovalPolicies,
} from '../../../../functions/adapters/cedar/engine.js';
import { lazyApprovalPolicies } from '../../../../functions/adapters/cedar/index.js';
import { POLICY_VERBS, type PolicyResource } from '../../../../functions/core/approval-policies.js';
import { categoryOf } from '../../../../functions/core/catalog.js';
import { ConfigError } from '../../../../functions/core/errors.js';
import { ACTION_TYPES } from '../../../../functions/core/model.js';
import { mayDecide, ROLES, type Role } from '../../../../functions/core/permissions.js';

const policies = new CedarApprovalPolicies(DEFAULT_POLICIES, 'default');

/** Every subset of the six roles: 64 callers. */
const ROLE_SETS: Role[][] = Array.from({ length: 2 ** ROLES.length }, (_, mask) =>
  ROLES.filter((_, bit) => mask & (1 << bit)),
);

const actionOf = (
  type: (typeof ACTION_TYPES)[number],
  extra: Partial<PolicyResource> = {},
): PolicyResource => ({
  id: `act-${type}`,
  type,
  category: categoryOf(type),
  severity: 'high',
  source: 'AutomatedInvestigation',
  ...extra,
});

describe('default approval policies', () => {
  it('allow exactly what the role table allowed, for every role set, action type and verb', () => {
    const mismatches: string[] = [];
    for (const roles of ROLE_SETS) {
      for (const type of ACTION_TYPES) {
        for (const verb of POLICY_VERBS) {
          const expected = mayDecide(roles, categoryOf(type));
          const got = policies.decide(
            { user: 'ana@example.com', roles },
            verb,
            actionOf(type),
          ).allowed;
          if (got !== expected)
            mismatches.push(`${roles.join('+') || '(none)'} ${verb} ${type}: ${got}`);
        }
      }
    }
    expect(mismatches).toEqual([]);
    expect(ROLE_SETS.length * ACTION_TYPES.length * POLICY_VERBS.length).toBe(3072);
  });

  it('name the policy that allowed a decision', () => {
    const answer = policies.decide(
      { user: 'ana', roles: ['SecurityAdmin', 'SearchAndPurge'] },
      'approve',
      actionOf('softDeleteEmail'),
    );
    expect(answer).toEqual({ allowed: true, policies: ['email-deciders'] });
  });

  it('refuse the proposer of a manual action its approval, naming the rule, but let another person approve', () => {
    const manual = actionOf('isolateDevice', { source: 'Manual', proposedBy: 'ana' });

    const own = policies.decide({ user: 'ana', roles: ['GlobalAdmin'] }, 'approve', manual);
    const other = policies.decide({ user: 'ben', roles: ['SecurityAdmin'] }, 'approve', manual);
    const ownReject = policies.decide({ user: 'ana', roles: ['GlobalAdmin'] }, 'reject', manual);

    expect(own).toEqual({
      allowed: false,
      policies: ['no-self-approval'],
      reason: 'The person who proposed an action cannot approve it; another person must',
    });
    expect(other.allowed).toBe(true);
    expect(ownReject.allowed).toBe(true);
  });
});

describe('a policy file', () => {
  const read = (text: string) => () => text;

  it('with a syntax error stops start-up naming its line', () => {
    const text = '@id("a")\npermit (principal, action, resource);\n\npermit (principal, action\n';
    expect(() =>
      loadApprovalPolicies('/etc/ac/policies.cedar', DEFAULT_POLICIES, read(text)),
    ).toThrow(
      /Invalid approval policies \(\/etc\/ac\/policies\.cedar\): line 4: .*unexpected end of input/,
    );
  });

  it('that uses an attribute the schema does not have stops start-up naming the policy and its line', () => {
    const text = `@id("ok")\npermit (principal, action, resource);\n\n@id("typo")\nforbid (principal, action, resource is ActionCenter::RemediationAction)\nwhen { resource.severty == "low" };\n`;
    let error: unknown;
    try {
      loadApprovalPolicies('p.cedar', DEFAULT_POLICIES, read(text));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/policy typo: line 6: .*severty/);
  });

  it('with two policies of one @id, or none at all, is refused', () => {
    const twice =
      '@id("a")\npermit (principal, action, resource);\n@id("a")\nforbid (principal, action, resource);';
    expect(() => loadApprovalPolicies('p', DEFAULT_POLICIES, read(twice))).toThrow(
      /line 3: a second policy with @id\("a"\)/,
    );
    expect(() => loadApprovalPolicies('p', DEFAULT_POLICIES, read('// nothing\n'))).toThrow(
      /no policy/,
    );
  });

  it('that cannot be read says which file', () => {
    const missing = () => {
      throw new Error('ENOENT: no such file or directory');
    };
    expect(() => loadApprovalPolicies('/nope.cedar', DEFAULT_POLICIES, missing)).toThrow(
      'APPROVAL_POLICY_FILE: cannot read /nope.cedar (ENOENT: no such file or directory)',
    );
  });

  it('replaces the defaults: here nobody but GlobalAdmin may undo', () => {
    const text = `${DEFAULT_POLICIES}\n@id("undo-admins-only")\n@reason("Only a GlobalAdmin may undo")\nforbid (principal, action == ActionCenter::Action::"undo", resource)\nunless { principal in ActionCenter::Role::"GlobalAdmin" };\n`;
    const custom = loadApprovalPolicies('p', DEFAULT_POLICIES, read(text));

    const answer = custom.decide(
      { user: 'ana', roles: ['SecurityAdmin'] },
      'undo',
      actionOf('isolateDevice'),
    );

    expect(answer).toEqual({
      allowed: false,
      policies: ['undo-admins-only'],
      reason: 'Only a GlobalAdmin may undo',
    });
    expect(custom.name).toBe('p');
  });
});

describe('lazily loaded policies', () => {
  it('load on the first decision, once, and then answer as the policies do', () => {
    let loads = 0;
    const lazy = lazyApprovalPolicies(() => {
      loads += 1;
      return policies;
    });
    expect(loads).toBe(0);

    const first = lazy.decide(
      { user: 'ana', roles: ['SecurityAdmin'] },
      'approve',
      actionOf('isolateDevice'),
    );
    const second = lazy.decide(
      { user: 'ana', roles: ['SecurityReader'] },
      'approve',
      actionOf('isolateDevice'),
    );

    expect([first.allowed, second.allowed, lazy.name, loads]).toEqual([true, false, 'default', 1]);
  });
});

describe('quorum rules', () => {
  const QUORUM = (annotations: string, when = 'resource.type == "isolateDevice"') =>
    `${DEFAULT_POLICIES}
@id("rule")
${annotations}
permit (principal, action == ActionCenter::Action::"quorum", resource is ActionCenter::RemediationAction)
when { ${when} };`;

  it('answer the approvals and roles the matching rules ask, the largest count and every role', () => {
    const set = new CedarApprovalPolicies(
      `${QUORUM('@approvals("2")\n@fromRoles("SecurityAdmin, ActiveRemediationActions")')}
@id("critical")
@approvals("3")
permit (principal, action == ActionCenter::Action::"quorum", resource is ActionCenter::RemediationAction)
when { resource.severity == "critical" };`,
      'quorum',
    );

    expect(set.quorum(actionOf('isolateDevice'))).toEqual({
      required: 2,
      fromRoles: ['SecurityAdmin', 'ActiveRemediationActions'],
      policies: ['rule'],
    });
    expect(set.quorum(actionOf('isolateDevice', { severity: 'critical' }))).toEqual({
      required: 3,
      fromRoles: ['SecurityAdmin', 'ActiveRemediationActions'],
      policies: ['rule', 'critical'],
    });
    expect(set.quorum(actionOf('quarantineFile'))).toBeUndefined();
    // As many approvals as roles at least.
    expect(
      new CedarApprovalPolicies(QUORUM('@fromRoles("GlobalAdmin, SecurityAdmin")'), 'q').quorum(
        actionOf('isolateDevice'),
      )?.required,
    ).toBe(2);
  });

  it('are none in the defaults', () => {
    expect(policies.quorum(actionOf('isolateDevice'))).toBeUndefined();
  });

  it.each([
    ['@approvals("two")', '@approvals("two") is not a whole number from 1 to 10'],
    ['@approvals("11")', '@approvals("11") is not a whole number from 1 to 10'],
    ['@fromRoles("Boss, SecurityAdmin")', '@fromRoles("Boss, SecurityAdmin") names "Boss"'],
    ['', 'a quorum policy needs @approvals("N") or @fromRoles("Role, ...")'],
  ])('with %s stop start-up naming the problem and its line', (annotations, problem) => {
    expect(() => new CedarApprovalPolicies(QUORUM(annotations), 'bad.cedar')).toThrow(
      new RegExp(`line \\d+: ${problem.replace(/[()".,]/g, '\\$&')}`),
    );
  });

  it('annotations on any other policy stop start-up', () => {
    const misplaced = `${DEFAULT_POLICIES}
@approvals("2")
permit (principal, action == ActionCenter::Action::"approve", resource);`;

    expect(() => new CedarApprovalPolicies(misplaced, 'bad.cedar')).toThrow(
      '@approvals and @fromRoles belong on a permit of ActionCenter::Action::"quorum"',
    );
  });
});
