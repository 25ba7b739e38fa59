// How an action type reads to a person: the page and the notifications say the same words.
import type { ActionType } from './model.js';

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
