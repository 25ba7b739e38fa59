import { ForbiddenError } from '../../../functions/core/errors.js';
import type { Category } from '../../../functions/core/model.js';
import {
  assertMayDecide,
  assertMayRead,
  mayDecide,
  parseRoles,
  permissionsOf,
  ROLES,
  type Role,
} from '../../../functions/core/permissions.js';

const ALL_ROLES: Role[] = [
  'GlobalAdmin',
  'SecurityAdmin',
  'SecurityOperator',
  'SecurityReader',
  'ActiveRemediationActions',
  'SearchAndPurge',
];

/** API.md "Identity and permissions", written out independently of the implementation. */
function expectedPermissions(roles: readonly Role[]) {
  const set = new Set(roles);
  return {
    read: set.size > 0,
    decideEndpoint:
      set.has('GlobalAdmin') || set.has('SecurityAdmin') || set.has('ActiveRemediationActions'),
    decideEmail: set.has('GlobalAdmin') || (set.has('SecurityAdmin') && set.has('SearchAndPurge')),
  };
}

const SUBSETS = Array.from({ length: 1 << ALL_ROLES.length }, (_, mask) => {
  const roles = ALL_ROLES.filter((_, bit) => (mask & (1 << bit)) !== 0);
  return { label: roles.length === 0 ? '(no role)' : roles.join('+'), roles };
});

describe('the role catalogue', () => {
  it('is exactly the six roles of the contract', () => {
    expect([...ROLES].sort()).toEqual([...ALL_ROLES].sort());
    expect(SUBSETS).toHaveLength(64);
  });
});

describe('permissions for every combination of roles', () => {
  it.each(SUBSETS)('$label gets the permissions API.md gives it', ({ roles }) => {
    // Prepare
    const expected = expectedPermissions(roles);

    // Act
    const actual = permissionsOf(roles);

    // Assess
    expect(actual).toEqual(expected);
    expect(mayDecide(roles, 'endpoint')).toBe(expected.decideEndpoint);
    expect(mayDecide(roles, 'email')).toBe(expected.decideEmail);
  });

  it.each(SUBSETS)(
    '$label: assertMayRead throws ForbiddenError iff it may not read',
    ({ roles }) => {
      const { read } = expectedPermissions(roles);

      if (read) {
        expect(() => assertMayRead(roles)).not.toThrow();
      } else {
        expect(() => assertMayRead(roles)).toThrow(ForbiddenError);
      }
    },
  );

  it.each(
    SUBSETS.flatMap(({ label, roles }) =>
      (['endpoint', 'email'] as Category[]).map((category) => ({ label, roles, category })),
    ),
  )(
    '$label: assertMayDecide($category) throws ForbiddenError iff it may not decide',
    ({ roles, category }) => {
      // Prepare
      const expected = expectedPermissions(roles);
      const allowed = category === 'endpoint' ? expected.decideEndpoint : expected.decideEmail;

      // Act / Assess
      if (allowed) {
        expect(() => assertMayDecide(roles, category)).not.toThrow();
      } else {
        expect(() => assertMayDecide(roles, category)).toThrow(ForbiddenError);
      }
    },
  );

  it.each(SUBSETS)('$label does not depend on the order the roles come in', ({ roles }) => {
    expect(permissionsOf([...roles].reverse())).toEqual(permissionsOf(roles));
  });
});

describe('the permission rules spelled out', () => {
  it.each([
    [['SecurityOperator'], false, false],
    [['SecurityReader'], false, false],
    [['SecurityOperator', 'SecurityReader'], false, false],
    [['SearchAndPurge'], false, false],
    [['ActiveRemediationActions'], true, false],
    [['SecurityAdmin'], true, false],
    [['SecurityAdmin', 'SearchAndPurge'], true, true],
    [['ActiveRemediationActions', 'SearchAndPurge'], true, false],
    [['GlobalAdmin'], true, true],
  ] as [Role[], boolean, boolean][])(
    '%j decides endpoint: %s, email: %s',
    (roles, endpoint, email) => {
      const p = permissionsOf(roles);

      expect(p).toEqual({ read: true, decideEndpoint: endpoint, decideEmail: email });
    },
  );
});

describe('forbidden errors', () => {
  it('assertMayRead explains that an Action Center role is needed', () => {
    // Act
    let thrown: unknown;
    try {
      assertMayRead([]);
    } catch (error) {
      thrown = error;
    }

    // Assess
    expect(thrown).toBeInstanceOf(ForbiddenError);
    expect((thrown as ForbiddenError).code).toBe('Forbidden');
    expect((thrown as ForbiddenError).message).toMatch(/role/i);
  });

  it.each([
    ['endpoint', /GlobalAdmin.*SecurityAdmin.*ActiveRemediationActions/],
    ['email', /GlobalAdmin.*SecurityAdmin.*SearchAndPurge/],
  ] as [Category, RegExp][])(
    'assertMayDecide(%s) names the roles that would allow it',
    (category, message) => {
      expect(() => assertMayDecide(['SecurityReader'], category)).toThrow(message);
    },
  );
});

describe('parseRoles: reading cognito:groups', () => {
  it.each([
    ['an array', ['GlobalAdmin', 'SecurityReader'], ['GlobalAdmin', 'SecurityReader']],
    ['a single-element array', ['SearchAndPurge'], ['SearchAndPurge']],
    ['an empty array', [], []],
    ['a comma-separated string', 'GlobalAdmin,SecurityReader', ['GlobalAdmin', 'SecurityReader']],
    [
      'a comma-and-space separated string',
      'SecurityAdmin, SearchAndPurge',
      ['SecurityAdmin', 'SearchAndPurge'],
    ],
    ['a single role string', 'SecurityOperator', ['SecurityOperator']],
    [
      'a "[a b]" string as API Gateway renders arrays',
      '[SecurityAdmin SearchAndPurge]',
      ['SecurityAdmin', 'SearchAndPurge'],
    ],
    [
      'a "[a, b]" string',
      '[SecurityAdmin, ActiveRemediationActions]',
      ['SecurityAdmin', 'ActiveRemediationActions'],
    ],
    ['a one-role "[a]" string', '[GlobalAdmin]', ['GlobalAdmin']],
    ['an empty "[]" string', '[]', []],
    ['an empty string', '', []],
    [
      'a string with stray separators',
      ' ,GlobalAdmin,, SecurityReader , ',
      ['GlobalAdmin', 'SecurityReader'],
    ],
    ['all six roles', ALL_ROLES.join(','), ALL_ROLES],
  ] as [string, unknown, Role[]][])('reads %s', (_, groups, expected) => {
    // Act
    const roles = parseRoles(groups);

    // Assess
    expect(roles).toEqual(expected);
  });

  it.each([
    ['unknown names in an array', ['Admin', 'GlobalAdmin', 'root'], ['GlobalAdmin']],
    ['unknown names in a string', 'Everyone,SecurityReader,Domain Users', ['SecurityReader']],
    [
      'names differing only in case',
      ['globaladmin', 'SECURITYADMIN', 'SecurityReader'],
      ['SecurityReader'],
    ],
    ['names with a prefix or suffix', ['GlobalAdmins', 'xGlobalAdmin'], []],
    ['only unknown names', 'Foo,Bar', []],
    [
      'non-string members of an array',
      [1, null, { role: 'GlobalAdmin' }, ['GlobalAdmin'], 'SecurityAdmin'],
      ['SecurityAdmin'],
    ],
    [
      'duplicates',
      ['SecurityAdmin', 'SecurityAdmin', 'GlobalAdmin', 'SecurityAdmin'],
      ['SecurityAdmin', 'GlobalAdmin'],
    ],
    ['duplicates in a string', 'SecurityReader,SecurityReader', ['SecurityReader']],
  ] as [string, unknown, Role[]][])('ignores %s', (_, groups, expected) => {
    expect(parseRoles(groups)).toEqual(expected);
  });

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a number', 42],
    ['a boolean', true],
    ['an object', { 0: 'GlobalAdmin', length: 1 }],
    ['a function', () => 'GlobalAdmin'],
  ])('gives no roles for %s', (_, groups) => {
    expect(parseRoles(groups)).toEqual([]);
  });

  it.each(SUBSETS)('round-trips $label through a comma-separated string', ({ roles }) => {
    expect(parseRoles(roles.join(','))).toEqual(roles);
    expect(parseRoles(`[${roles.join(' ')}]`)).toEqual(roles);
    expect(parseRoles(roles)).toEqual(roles);
  });

  it('gives a caller with only unknown groups no read permission', () => {
    // Prepare
    const roles = parseRoles('Everyone,Guests');

    // Act / Assess
    expect(() => assertMayRead(roles)).toThrow(ForbiddenError);
  });
});
