import {
  assertTransition,
  canTransition,
  isTerminal,
  presentAction,
  sourcesOf,
} from '../../../functions/core/action-status.js';
import { ConflictError } from '../../../functions/core/errors.js';
import { ACTION_STATUSES, type ActionStatus } from '../../../functions/core/model.js';
import { anAction, at, atDate, WEEK_SECONDS } from './builders.js';

// The domain rules, written out independently of the implementation.
const LEGAL: Record<ActionStatus, readonly ActionStatus[]> = {
  Pending: ['Approved', 'Rejected', 'Expired'],
  Approved: ['Running', 'Skipped', 'Expired', 'Failed'],
  Running: ['Completed', 'Failed'],
  Completed: ['Undone'],
  Rejected: [],
  Expired: [],
  Failed: [],
  Skipped: [],
  Undone: [],
};

const ALL: ActionStatus[] = [
  'Pending',
  'Approved',
  'Rejected',
  'Expired',
  'Running',
  'Completed',
  'Failed',
  'Skipped',
  'Undone',
];

const PAIRS = ALL.flatMap((from) =>
  ALL.map((to) => ({ from, to, legal: LEGAL[from].includes(to) })),
);
const LEGAL_PAIRS = PAIRS.filter((p) => p.legal);
const ILLEGAL_PAIRS = PAIRS.filter((p) => !p.legal);

describe('the action status machine', () => {
  it('knows exactly the nine statuses of the contract', () => {
    // Prepare / Act
    const statuses = [...ACTION_STATUSES];

    // Assess
    expect(statuses.sort()).toEqual([...ALL].sort());
    expect(PAIRS).toHaveLength(81);
    expect(LEGAL_PAIRS).toHaveLength(10);
  });

  it.each(LEGAL_PAIRS)('allows $from → $to', ({ from, to }) => {
    // Act
    const allowed = canTransition(from, to);

    // Assess
    expect(allowed).toBe(true);
  });

  it.each(ILLEGAL_PAIRS)('forbids $from → $to', ({ from, to }) => {
    // Act
    const allowed = canTransition(from, to);

    // Assess
    expect(allowed).toBe(false);
  });

  it.each(ALL)('never lets %s stay where it is (no self-transition)', (status) => {
    expect(canTransition(status, status)).toBe(false);
  });

  it.each(ALL)('never lets anything re-enter Pending (from %s)', (status) => {
    expect(canTransition(status, 'Pending')).toBe(false);
  });
});

describe('sourcesOf: the statuses a conditional write may start from', () => {
  const expectedSources = (to: ActionStatus) => ALL.filter((from) => LEGAL[from].includes(to));

  it.each(ALL.map((to) => ({ to, sources: expectedSources(to) })))(
    'entering $to is possible only from $sources',
    ({ to, sources }) => {
      // Act
      const actual = sourcesOf(to);

      // Assess
      expect([...actual].sort()).toEqual([...sources].sort());
    },
  );

  it.each([
    ['Pending', []],
    ['Approved', ['Pending']],
    ['Rejected', ['Pending']],
    ['Expired', ['Pending', 'Approved']],
    ['Running', ['Approved']],
    ['Skipped', ['Approved']],
    ['Completed', ['Running']],
    ['Failed', ['Approved', 'Running']],
    ['Undone', ['Completed']],
  ] as [ActionStatus, ActionStatus[]][])('entering %s is guarded by exactly %j', (to, sources) => {
    expect([...sourcesOf(to)].sort()).toEqual([...sources].sort());
  });

  it('returns a fresh array the caller may change without corrupting the machine', () => {
    // Prepare
    const first = sourcesOf('Expired');

    // Act
    first.push('Undone');

    // Assess
    expect(sourcesOf('Expired')).not.toContain('Undone');
    expect(canTransition('Undone', 'Expired')).toBe(false);
  });
});

describe('isTerminal', () => {
  it.each([
    ['Pending', false],
    ['Approved', false],
    ['Running', false],
    ['Completed', true],
    ['Rejected', true],
    ['Expired', true],
    ['Failed', true],
    ['Skipped', true],
    ['Undone', true],
  ] as [ActionStatus, boolean][])('%s is terminal: %s', (status, terminal) => {
    expect(isTerminal(status)).toBe(terminal);
  });
});

describe('assertTransition', () => {
  it.each(LEGAL_PAIRS)('lets $from → $to pass silently', ({ from, to }) => {
    // Prepare
    const action = anAction({ status: from });

    // Act / Assess
    expect(() => assertTransition(action, to)).not.toThrow();
  });

  it.each(ILLEGAL_PAIRS)(
    'rejects $from → $to with a ConflictError carrying the action',
    ({ from, to }) => {
      // Prepare
      const action = anAction({ status: from });

      // Act
      let thrown: unknown;
      try {
        assertTransition(action, to);
      } catch (error) {
        thrown = error;
      }

      // Assess
      expect(thrown).toBeInstanceOf(ConflictError);
      const conflict = thrown as ConflictError;
      expect(conflict.code).toBe('Conflict');
      expect(conflict.name).toBe('ConflictError');
      expect(conflict.action).toBe(action);
      expect(conflict.message).toContain(action.id);
      expect(conflict.message).toContain(from);
      expect(conflict.message).toContain(to);
    },
  );
});

describe('presentAction: how an action reads at a given moment', () => {
  const createdAt = at(0);
  const expiresAt = at(WEEK_SECONDS);

  it('shows a Pending action whose expiry has passed as Expired', () => {
    // Prepare
    const action = anAction({ status: 'Pending', createdAt, expiresAt });

    // Act
    const shown = presentAction(action, atDate(WEEK_SECONDS + 60));

    // Assess
    expect(shown.status).toBe('Expired');
    expect({ ...shown, status: 'Pending' }).toEqual(action);
  });

  it('treats the exact expiry instant as expired', () => {
    const action = anAction({ status: 'Pending', createdAt, expiresAt });

    expect(presentAction(action, atDate(WEEK_SECONDS)).status).toBe('Expired');
  });

  it('leaves a Pending action one millisecond before its expiry Pending (same object)', () => {
    // Prepare
    const action = anAction({ status: 'Pending', createdAt, expiresAt });
    const justBefore = new Date(Date.parse(expiresAt) - 1);

    // Act
    const shown = presentAction(action, justBefore);

    // Assess
    expect(shown).toBe(action);
    expect(shown.status).toBe('Pending');
  });

  it('does not mutate the stored action when presenting it as Expired', () => {
    const action = anAction({ status: 'Pending', createdAt, expiresAt });

    presentAction(action, atDate(WEEK_SECONDS * 2));

    expect(action.status).toBe('Pending');
  });

  it.each(ALL.filter((s) => s !== 'Pending'))(
    'leaves a %s action alone even long after its expiry',
    (status) => {
      // Prepare
      const action = anAction({ status, createdAt, expiresAt });

      // Act
      const shown = presentAction(action, atDate(WEEK_SECONDS * 10));

      // Assess
      expect(shown).toBe(action);
      expect(shown.status).toBe(status);
    },
  );
});
