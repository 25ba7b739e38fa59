import {
  actionResultOf,
  auditRecordOf,
  movedBy,
  SYSTEM_ACTOR,
} from '../../../functions/core/action-changes.js';
import { isFinished } from '../../../functions/core/investigation-status.js';
import { AuditEntry, INVESTIGATION_STATUSES } from '../../../functions/core/model.js';
import { clip } from '../../../functions/core/text.js';
import { makeAction, plus, T0 } from '../../fixtures/actions.js';

describe('the audit record of an action change', () => {
  it('records the status the action reached, and no comment when none was given', () => {
    // Prepare
    const action = makeAction({ status: 'Expired', updatedAt: T0.toISOString() });

    // Act
    const record = auditRecordOf({
      at: T0,
      actor: SYSTEM_ACTOR,
      event: 'ActionExpired',
      action,
      before: 'Pending',
    });

    // Assess
    expect(record).toEqual({
      at: T0.toISOString(),
      actor: 'System',
      event: 'ActionExpired',
      actionId: action.id,
      investigationId: action.investigationId,
      before: 'Pending',
      after: 'Expired',
    });
    expect('comment' in record).toBe(false);
  });

  it('keeps the comment when one was given', () => {
    // Prepare
    const action = makeAction({ status: 'Rejected' });

    // Act
    const record = auditRecordOf({
      at: T0,
      actor: 'ana@example.com',
      event: 'ActionRejected',
      action,
      before: 'Pending',
      comment: 'false positive',
    });

    // Assess
    expect(record.comment).toBe('false positive');
  });

  it('cuts a failure reason longer than an audit comment may be, so the entry stays valid', () => {
    // Prepare
    const action = makeAction({ status: 'Failed' });
    const reason = `ConnectorPermanentError: ${'x'.repeat(3990)}`;

    // Act
    const record = auditRecordOf({
      at: T0,
      actor: SYSTEM_ACTOR,
      event: 'ActionFailed',
      action,
      before: 'Running',
      comment: reason,
    });

    // Assess
    expect(record.comment).toHaveLength(2000);
    expect(
      AuditEntry.omit({ seq: true, hash: true, prevHash: true }).safeParse(record).success,
    ).toBe(true);
  });
});

describe('whether this call moved the action', () => {
  it('is true only when the action was stamped at this call time', () => {
    // Prepare
    const action = makeAction({ updatedAt: T0.toISOString() });

    // Act / Assess
    expect(movedBy(action, T0)).toBe(true);
    expect(movedBy(action, plus(T0, 1))).toBe(false);
  });
});

describe('the stored result of a remediation', () => {
  it('cuts the outcome to 64 and the detail to 4000 characters', () => {
    // Act
    const result = actionResultOf({ outcome: 'o'.repeat(100), detail: 'd'.repeat(5000) }, T0);

    // Assess
    expect(result).toEqual({
      outcome: 'o'.repeat(64),
      detail: 'd'.repeat(4000),
      at: T0.toISOString(),
    });
  });

  it('leaves out an empty detail', () => {
    // Act
    const result = actionResultOf({ outcome: 'DeviceIsolated', detail: '' }, T0);

    // Assess
    expect(result).toEqual({ outcome: 'DeviceIsolated', at: T0.toISOString() });
  });
});

describe('clipping text', () => {
  it('marks a cut text and leaves a short one as it is', () => {
    // Act / Assess
    expect(clip('abcdef', 3, '…')).toBe('abc…');
    expect(clip('abc', 3, '…')).toBe('abc');
    expect(clip('abcdef', 3)).toBe('abc');
  });
});

describe('finished investigations', () => {
  it('are all but the running and the waiting ones', () => {
    // Act
    const finished = INVESTIGATION_STATUSES.filter(isFinished);

    // Assess
    expect(finished).toEqual([
      'Remediated',
      'PartiallyRemediated',
      'NoThreatsFound',
      'Failed',
      'TerminatedBySystem',
      'TerminatedByUser',
    ]);
  });
});
