// The one place a change to an action is appended to the audit log.
import { type ActionChange, auditRecordOf } from '../core/action-changes.js';
import type { AuditLog } from '../core/ports.js';

export async function recordChange(
  ports: { audit: Pick<AuditLog, 'append'> },
  change: ActionChange,
): Promise<void> {
  await ports.audit.append(auditRecordOf(change));
}
