// How domain values read on the page: names of action types, statuses as status indicators,
// times and durations.
import type { StatusIndicatorProps } from '@cloudscape-design/components/status-indicator';
import type {
  ActionStatus,
  Entity,
  InvestigationStatus,
  Severity,
  Verdict,
} from '../../../functions/api/schemas';
import type { ActionTab } from '../api/client';

export const TAB_LABELS: Record<ActionTab, string> = { pending: 'Pending', history: 'History' };

export {
  ACTION_TYPE_LABELS,
  CATEGORY_LABELS,
  SEVERITY_LABELS,
  SOURCE_LABELS,
} from '../../../functions/core/action-labels';

export const ENTITY_KIND_LABELS: Record<Entity['kind'], string> = {
  file: 'File',
  process: 'Process',
  registryKey: 'Registry key',
  service: 'Service',
  driver: 'Driver',
  scheduledTask: 'Scheduled task',
  device: 'Device',
  emailMessage: 'E-mail message',
  emailCluster: 'E-mail cluster',
  url: 'URL',
  mailbox: 'Mailbox',
  attachment: 'Attachment',
};

export const SEVERITY_INDICATORS: Record<Severity, StatusIndicatorProps.Type> = {
  informational: 'info',
  low: 'info',
  medium: 'warning',
  high: 'error',
  critical: 'error',
};

export const ACTION_STATUS_INDICATORS: Record<ActionStatus, StatusIndicatorProps.Type> = {
  Pending: 'pending',
  Approved: 'in-progress',
  Running: 'in-progress',
  Completed: 'success',
  Rejected: 'stopped',
  Expired: 'stopped',
  Failed: 'error',
  Skipped: 'info',
  Undone: 'info',
};

/** Statuses the workflow is still moving on from: the page polls while it shows one. */
export const TRANSITIONAL_STATUSES: readonly ActionStatus[] = ['Approved', 'Running'];

export const INVESTIGATION_STATUS_LABELS: Record<InvestigationStatus, string> = {
  Running: 'Running',
  PendingApproval: 'Pending approval',
  Remediated: 'Remediated',
  PartiallyRemediated: 'Partially remediated',
  NoThreatsFound: 'No threats found',
  Failed: 'Failed',
  TerminatedBySystem: 'Terminated by system',
  TerminatedByUser: 'Terminated by user',
};

export const INVESTIGATION_STATUS_INDICATORS: Record<
  InvestigationStatus,
  StatusIndicatorProps.Type
> = {
  Running: 'in-progress',
  PendingApproval: 'pending',
  Remediated: 'success',
  PartiallyRemediated: 'warning',
  NoThreatsFound: 'success',
  Failed: 'error',
  TerminatedBySystem: 'stopped',
  TerminatedByUser: 'stopped',
};

export const VERDICT_INDICATORS: Record<Verdict, StatusIndicatorProps.Type> = {
  malicious: 'error',
  suspicious: 'warning',
  clean: 'success',
  unknown: 'info',
};

export const VERDICT_LABELS: Record<Verdict, string> = {
  malicious: 'Malicious',
  suspicious: 'Suspicious',
  clean: 'Clean',
  unknown: 'Unknown',
};

const dateTime = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});
const thisYear = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

/** A local date and time; the year only when it is not this year's. */
export function formatTime(iso: string | undefined): string {
  if (!iso) return '-';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.getFullYear() === new Date().getFullYear()
    ? thisYear.format(date)
    : dateTime.format(date);
}

const exactTime = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** A local date and time to the second, for timelines. */
export function formatExactTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : exactTime.format(date);
}

/** `3d 4h`, `4h 12m`, `12m 5s`: the two largest units. */
export function formatDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const parts: [number, string][] = [
    [Math.floor(s / 86_400), 'd'],
    [Math.floor((s % 86_400) / 3600), 'h'],
    [Math.floor((s % 3600) / 60), 'm'],
    [s % 60, 's'],
  ];
  const first = parts.findIndex(([n]) => n > 0);
  if (first === -1) return '0s';
  return parts
    .slice(first, first + 2)
    .map(([n, unit]) => `${n}${unit}`)
    .join(' ');
}

/** How long a pending action has left at `now`, e.g. `6d 23h`, or `Expired`. */
export function timeLeft(expiresAt: string, now: number): string {
  const left = (Date.parse(expiresAt) - now) / 1000;
  return left > 0 ? formatDuration(left) : 'Expired';
}

/** What the expiry of a pending action reads like at `now`. */
export function expiryText(expiresAt: string, now: number): string {
  const left = (Date.parse(expiresAt) - now) / 1000;
  return left > 0 ? `Expires in ${formatDuration(left)}` : 'Expired';
}

/** The note an action gets when its expiry passes while the page shows it. */
export function expiredNote(expiresAt: string): string {
  return `Expired at ${formatTime(expiresAt)}; it can no longer be decided.`;
}
