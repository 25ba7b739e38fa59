// How an action's values read to a person: the page, the notifications and the CSV export say
// the same words.
import type { ActionSource, ActionStatus, ActionType, Category, Severity } from './model.js';

export const ACTION_TYPE_LABELS: Record<ActionType, string> = {
  quarantineFile: 'Quarantine file',
  removeRegistryKey: 'Remove registry key',
  killProcess: 'Stop process',
  stopService: 'Stop service',
  disableDriver: 'Disable driver',
  removeScheduledTask: 'Remove scheduled task',
  isolateDevice: 'Isolate device',
  softDeleteEmail: 'Soft delete e-mail',
  blockUrl: 'Block URL',
  disableExternalForwarding: 'Disable external forwarding',
  quarantineEmail: 'Quarantine e-mail',
  quarantineAttachment: 'Quarantine attachment',
};

export const ACTION_STATUS_LABELS: Record<ActionStatus, string> = {
  Pending: 'Pending',
  Approved: 'Approved',
  Rejected: 'Rejected',
  Expired: 'Expired',
  Running: 'Running',
  Completed: 'Completed',
  Failed: 'Failed',
  Skipped: 'Skipped (duplicate)',
  Undone: 'Undone',
};

export const CATEGORY_LABELS: Record<Category, string> = { endpoint: 'Endpoint', email: 'E-mail' };

export const SEVERITY_LABELS: Record<Severity, string> = {
  informational: 'Informational',
  low: 'Low',
  medium: 'Medium',
  high: 'High',
  critical: 'Critical',
};

export const SOURCE_LABELS: Record<ActionSource, string> = {
  AutomatedInvestigation: 'Automated investigation',
  Manual: 'Manual',
};
