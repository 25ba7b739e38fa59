// An alert source: a format SecOps teams already have (GuardDuty, Security Hub in ASFF and OCSF,
// Defender XDR) or the project's own, mapped to the investigation's alert. Adapters are pure: an
// EventBridge event in, the alert (or the reason it cannot be one) out.
import * as z from 'zod';
import type { AlertDetail, Severity } from '../model.js';

export const SOURCE_IDS = [
  'actioncenter',
  'guardduty',
  'securityhub',
  'securityhub-ocsf',
  'defender',
] as const;
export const SourceId = z.enum(SOURCE_IDS);
export type SourceId = z.infer<typeof SourceId>;

/** Where an investigation's alert came from: the source's own id of it, and a link to it. */
export const AlertOrigin = z.object({
  source: SourceId,
  /** The source's id of the finding or alert (GuardDuty finding id, ASFF Id, OCSF uid, Graph alert id). */
  findingId: z.string().min(1).max(1024),
  /** The product that raised it when a hub relays it (e.g. "GuardDuty" in Security Hub). */
  product: z.string().min(1).max(256).optional(),
  /** Where a person opens it in the source's console (https only). */
  link: z
    .url({ protocol: /^https$/ })
    .max(2048)
    .optional(),
  /** A sample finding (GuardDuty CreateSampleFindings): investigated like any other, marked. */
  sample: z.boolean().optional(),
});
export type AlertOrigin = z.infer<typeof AlertOrigin>;

/** The part of an EventBridge event an adapter reads. */
export interface SourceEvent {
  id?: string;
  source?: string;
  'detail-type'?: string;
  time?: string;
  account?: string;
  region?: string;
  detail?: unknown;
}

export type SourceMapping =
  | {
      ok: true;
      /**
       * The investigation's alert. `alertId` is stable per finding (prefixed with the source, e.g.
       * `guardduty:<finding id>`), so an updated finding maps to the same investigation.
       */
      alert: AlertDetail;
      origin: AlertOrigin;
      /** Why the alert proposes nothing though it is not clean (no remediable resource). */
      noActionReason?: string;
    }
  | { ok: false; reason: string; problems: string[] };

export interface AlertSource {
  id: SourceId;
  /** The EventBridge `source` of its events. */
  eventSource: string;
  /** The `detail-type`s it maps. */
  detailTypes: readonly string[];
  /**
   * What the rule's pattern adds under `detail` for this source: active, new findings only, at
   * or above `minSeverity` (EventBridge pattern syntax). Undefined: every event of the source.
   */
  ruleDetail?(minSeverity: Severity): Record<string, unknown> | undefined;
  /** One event per finding, for a source that batches several in one event (Security Hub). */
  split?(event: SourceEvent): SourceEvent[];
  map(event: SourceEvent): SourceMapping;
}
