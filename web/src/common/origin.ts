// How an investigation's origin reads: the source's product name, and its link only when it is
// https (a link from alert data is never followed with another scheme).
import type { Investigation } from '../../../functions/api/schemas.js';

export type AlertOrigin = NonNullable<Investigation['origin']>;

export const ORIGIN_SOURCE_LABELS: Record<AlertOrigin['source'], string> = {
  actioncenter: 'Action Center',
  guardduty: 'Amazon GuardDuty',
  securityhub: 'AWS Security Hub',
  'securityhub-ocsf': 'AWS Security Hub (OCSF)',
  defender: 'Microsoft Defender XDR',
};

/** The link to open the finding in its console, or undefined when it is not an https URL. */
export function safeOriginLink(link: string | undefined): string | undefined {
  if (link === undefined || !link.startsWith('https://')) return undefined;
  try {
    return new URL(link).protocol === 'https:' ? link : undefined;
  } catch {
    return undefined;
  }
}
