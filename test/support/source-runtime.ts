// The runtime the alert-source end-to-end tests share: publish a source's fixture events through
// the local bus as the source would (its own source and detail-type, default bus), then read the
// investigation of a finding, its evidence and actions, and the rejected alerts over HTTP.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { anAlert, file } from '../fixtures/alerts.js';
import {
  apiClient,
  eventually,
  type RuntimeProcess,
  removeDataDir,
  startRuntimeProcess,
  tokenFor,
} from './runtime-process.js';

/** An EventBridge event as delivered, as the fixtures under test/fixtures/sources hold it. */
export interface BusEvent {
  source: string;
  'detail-type': string;
  detail: unknown;
}

export function sourceFixture(folder: string, file: string): BusEvent {
  return JSON.parse(readFileSync(resolve('test/fixtures/sources', folder, file), 'utf8'));
}

/** The parts of `GET /investigations/{id}` the tests read. */
export interface InvestigationView {
  investigation: {
    id: string;
    alertIds: string[];
    title: string;
    severity: string;
    status: string;
    origin?: {
      source: string;
      findingId: string;
      product?: string;
      link?: string;
      sample?: boolean;
    };
    noActionReason?: string;
  };
  actions: {
    id: string;
    type: string;
    status: string;
    target: { kind: string; id: string; deviceId?: string };
    decision?: { by: string; automated?: boolean };
  }[];
  evidence: { kind: string; id: string; verdict: string; remediationStatus?: string }[];
}

const OPEN_ACTION = ['Approved', 'Running'];

/** Planned and done with what needs no operator: no longer Running, no approved action in flight. */
export const settled = (view: InvestigationView) =>
  view.investigation.status !== 'Running' &&
  view.actions.every((a) => !OPEN_ACTION.includes(a.status));

export interface SourceRuntime {
  runtime: RuntimeProcess;
  /** PutEvents on the default bus; every entry must be accepted. */
  publish(...events: BusEvent[]): Promise<void>;
  /** The investigation of an alert id, or undefined when none was opened. */
  investigationOf(alertId: string): Promise<InvestigationView | undefined>;
  /** Waits for the alert's investigation to satisfy `ready` (by default: settled). */
  waitFor(
    alertId: string,
    ready?: (view: InvestigationView) => boolean,
  ): Promise<InvestigationView>;
  /** The ids of the Pending tab's actions of an investigation. */
  pendingIds(investigationId: string): Promise<string[]>;
  // biome-ignore lint/suspicious/noExplicitAny: the rejected alerts as the API answers them.
  rejected(): Promise<any[]>;
  stop(): Promise<void>;
}

export async function startSourceRuntime(env: Record<string, string>): Promise<SourceRuntime> {
  const runtime = await startRuntimeProcess({ env });
  const admin = apiClient(runtime.url, await tokenFor('ana@example.com', ['GlobalAdmin']));
  const producer = apiClient(
    runtime.url,
    await tokenFor('producer@example.com', ['SecurityAdmin']),
  );
  const investigationOf = async (alertId: string) => {
    const list = await admin.get('/investigations?window=1d&limit=100');
    if (list.status !== 200) throw new Error(`GET /investigations answered ${list.status}`);
    const found = (list.json.items as { id: string; alertIds: string[] }[]).find((i) =>
      i.alertIds.includes(alertId),
    );
    if (!found) return undefined;
    const detail = await admin.get(`/investigations/${encodeURIComponent(found.id)}`);
    return detail.json as InvestigationView;
  };
  return {
    runtime,
    async publish(...events) {
      const put = await producer.post('/events', {
        Entries: events.map((e) => ({
          Source: e.source,
          DetailType: e['detail-type'],
          Detail: JSON.stringify(e.detail),
        })),
      });
      if (put.status !== 200 || put.json?.FailedEntryCount !== 0) {
        throw new Error(`PutEvents answered ${put.status}: ${put.text}`);
      }
    },
    investigationOf,
    waitFor: (alertId, ready = settled) =>
      eventually(async () => {
        const view = await investigationOf(alertId);
        return view && ready(view) ? view : undefined;
      }, `the investigation of ${alertId}`),
    async pendingIds(investigationId) {
      const list = await admin.get(
        `/actions?tab=pending&investigationId=${encodeURIComponent(investigationId)}`,
      );
      return (list.json.items as { id: string }[]).map((a) => a.id).sort();
    },
    async rejected() {
      return (await admin.get('/alerts/rejected')).json.items;
    },
    async stop() {
      await runtime.stop();
      removeDataDir(runtime.dataDir);
    },
  };
}

/** One of our own alerts, published after events that must not be routed: once its investigation
 * exists, the bus has handled everything published before it (it delivers in order). */
export function markerAlert(alertId: string): BusEvent {
  return {
    source: 'actioncenter.alerts',
    'detail-type': 'Security Alert',
    detail: anAlert(alertId, [file(`${alertId}.exe`, 'clean')]),
  };
}

/** `type target-id` of each action, sorted: what was proposed, once each. */
export const proposed = (view: InvestigationView) =>
  view.actions.map((a) => `${a.type} ${a.target.id}`).sort();

/** `kind id verdict` of each piece of evidence, sorted. */
export const evidenceOf = (view: InvestigationView) =>
  view.evidence.map((e) => `${e.kind} ${e.id} ${e.verdict}`).sort();
