// The audit records a test owes when it writes a decision or an automatic approval straight
// into the store (the services build them the same way).
import { auditRecordOf } from '../../functions/core/action-changes.js';
import { investigationIdOf } from '../../functions/core/ids.js';
import type { Action, AuditRecord } from '../../functions/core/model.js';
import type { DecideRequest } from '../../functions/core/ports.js';

export function decisionAudit(actionId: string, request: DecideRequest, at: Date): AuditRecord {
  return auditRecordOf({
    at,
    actor: request.by,
    event: request.verdict === 'approve' ? 'ActionApproved' : 'ActionRejected',
    action: {
      id: actionId,
      investigationId: investigationIdOf(actionId),
      status: request.verdict === 'approve' ? 'Approved' : 'Rejected',
    },
    before: 'Pending',
    comment: request.comment,
  });
}

export function automaticApprovalAudit(action: Action): AuditRecord {
  return auditRecordOf({
    at: new Date(action.decision?.at ?? action.createdAt),
    actor: 'Automation',
    event: 'ActionApproved',
    action,
    before: null,
  });
}
