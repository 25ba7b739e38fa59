// The decision loop at scale, on the real ASL in the local engine with the real task handlers over
// dynalite: every action of an investigation is listed Pending at once, whatever their number;
// decisions arrive in any order, in bulk and one by one, while others expire; remediations that
// run on their target finish later, fail later or never; a step that breaks ends the investigation.
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { ExpiredError } from '../../../functions/core/errors.js';
import { investigationIdFor } from '../../../functions/core/ids.js';
import type { Action, AuditEntry, Entity } from '../../../functions/core/model.js';
import { payloadBytes } from '../../../functions/core/state-size.js';
import { anAlert, file, filesWithLongIds, proc, url } from '../../fixtures/alerts.js';
import { type LocalTable, startLocalTable } from '../../support/dynalite.js';
import { eventually } from '../../support/eventually.js';
import {
  type InvestigationHarness,
  OPERATOR,
  startInvestigationHarness,
} from '../../support/investigation-harness.js';

let table: LocalTable;

beforeAll(async () => {
  table = await startLocalTable();
});
afterAll(() => table.stop());

/** A stable shuffle, so the decisions follow no order the alert gave. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = seed;
  for (let i = out.length - 1; i > 0; i -= 1) {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** What the Pending tab lists for one investigation, every page read. */
async function listedPending(harness: InvestigationHarness, investigationId: string) {
  const listed: Action[] = [];
  let cursor: string | undefined;
  do {
    const page = await harness.stores.actions.listPending(
      { filters: { investigationId: [investigationId] }, limit: 100, cursor },
      new Date(),
    );
    listed.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return listed;
}

/** The audit entries of one investigation, every page read (the rows beside it share the log). */
async function auditOf(harness: InvestigationHarness, investigationId: string) {
  const entries: AuditEntry[] = [];
  let cursor: string | undefined;
  do {
    const page = await harness.stores.audit.list({ window: '1d', limit: 1000, cursor }, new Date());
    entries.push(...page.items.filter((e) => e.investigationId === investigationId));
    cursor = page.nextCursor;
  } while (cursor);
  return entries;
}

async function history(harness: InvestigationHarness, executionArn: string) {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await harness.engine.getExecutionHistory({ executionArn, nextToken });
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}

const executionArnOf = (harness: InvestigationHarness, alertId: string) =>
  `${harness.stateMachineArn.replace(':stateMachine:', ':execution:')}:${investigationIdFor(alertId)}`;

const SCALES = [1, 2, 41, 120, 500];

/**
 * `count` malicious files with realistic 71-character ids, other than any other row's: the same
 * file approved twice within the dedup window would be remediated once (the second Skipped).
 */
const filesOfRow = (count: number): Entity[] =>
  filesWithLongIds(count).map((entity) => ({
    ...entity,
    id: `sha256:${count.toString(16).padStart(6, '0')}${entity.id.slice('sha256:'.length + 6)}`,
  }));

describe('every action of an investigation, at once', () => {
  // The rows run side by side: each waits for its own expiries.
  it.concurrent.each(SCALES)(
    '%i actions: all listed Pending before any decision; bulk and single decisions and expiries end it',
    async (count) => {
      // Prepare: long enough to list and decide (500 are listed in about 9 s on 2 busy cores),
      // short enough to see the rest expire.
      const ttlSeconds = 6 + Math.ceil(count / 15);
      const harness = await startInvestigationHarness(table, {
        pendingActionTtlSeconds: ttlSeconds,
      });
      const alertId = `alert-scale-${count}`;
      const investigationId = investigationIdFor(alertId);
      try {
        // Act: ingest, then wait for the Pending tab to list every action.
        expect((await harness.ingest(anAlert(alertId, filesOfRow(count)))).outcome).toBe('started');
        const pending = await eventually(
          async () => {
            const listed = await listedPending(harness, investigationId);
            return listed.length === count ? listed : undefined;
          },
          {
            what: `${count} Pending actions listed`,
            timeoutMs: ttlSeconds * 1000,
            intervalMs: 100,
          },
        );
        const order = shuffled(
          pending.map((a) => a.id),
          count,
        );
        const bulk = order.slice(0, Math.ceil(count / 3));
        const singles = order.slice(bulk.length, bulk.length + Math.min(Math.floor(count / 3), 6));
        // What is not decided expires. On a slow machine a decision may arrive after the expiry:
        // it is then refused as expired (410 / `expired`), and the action must end Expired too.
        const left = new Set(order.slice(bulk.length + singles.length));
        const approved = new Set<string>();
        const rejected = new Set<string>();
        const decideOne = async (id: string, verdict: 'approve' | 'reject') => {
          try {
            await harness.decideAction(id, verdict);
            (verdict === 'approve' ? approved : rejected).add(id);
          } catch (error) {
            if (!(error instanceof ExpiredError)) throw error;
            left.add(id);
          }
        };
        // Bulk approvals in calls of at most 100, a single decision between each.
        const singleQueue = [...singles];
        for (let i = 0; i < bulk.length; i += 100) {
          const { results } = await harness.decideMany(bulk.slice(i, i + 100), 'approve');
          for (const r of results) {
            expect(['approved', 'expired']).toContain(r.outcome);
            (r.outcome === 'approved' ? approved : left).add(r.id);
          }
          const single = singleQueue.shift();
          if (single !== undefined) {
            await decideOne(single, singleQueue.length % 2 === 0 ? 'reject' : 'approve');
          }
        }
        for (const single of singleQueue) await decideOne(single, 'reject');
        const execution = await harness.finished(alertId);

        // Assess
        expect([execution.status, execution.error]).toEqual(['SUCCEEDED', undefined]);
        const { investigation, actions } = await harness.stores.investigations.get(investigationId);
        const statusOf = new Map(actions.map((a) => [a.id, a.status]));
        expect(actions).toHaveLength(count);
        for (const id of approved) expect([id, statusOf.get(id)]).toEqual([id, 'Completed']);
        for (const id of rejected) expect([id, statusOf.get(id)]).toEqual([id, 'Rejected']);
        for (const id of left) expect([id, statusOf.get(id)]).toEqual([id, 'Expired']);
        expect(investigation.counts).toMatchObject({
          actions: count,
          pending: 0,
          completed: approved.size,
          rejected: rejected.size,
          expired: left.size,
        });
        expect(investigation.endedAt).toBeDefined();
        // The chain is appended after the writes (the outbox); the rows beside this one append too.
        await eventually(
          async () => {
            const ours = await auditOf(harness, investigationId);
            const byEvent = (event: string, actor?: string) =>
              ours.filter((e) => e.event === event && (actor === undefined || e.actor === actor))
                .length;
            expect(byEvent('ActionApproved', OPERATOR)).toBe(approved.size);
            expect(byEvent('ActionCompleted', 'System')).toBe(approved.size);
            expect(byEvent('ActionExpired', 'System')).toBe(left.size);
            return true;
          },
          { what: 'the audit entries of the decisions and expiries', intervalMs: 200 },
        );
        expect(harness.engine.waitingTasks()).toEqual([]);
      } finally {
        await harness.close();
      }
    },
    120_000,
  );

  // Beside the rows above, while they wait for their expiries.
  it.concurrent('keeps every state of a 500-entity investigation under 32 KiB', async () => {
    // Prepare
    const harness = await startInvestigationHarness(table, { pendingActionTtlSeconds: 120 });
    const alertId = 'alert-state-size-500';
    try {
      await harness.ingest(anAlert(alertId, filesWithLongIds(500)));
      const pending = await eventually(
        async () => {
          const listed = await listedPending(harness, investigationIdFor(alertId));
          return listed.length === 500 ? listed : undefined;
        },
        { what: '500 Pending actions', timeoutMs: 60_000, intervalMs: 100 },
      );

      // Act: reject them all, in bulk calls of 100.
      for (let i = 0; i < 500; i += 100) {
        await harness.decideMany(
          pending.slice(i, i + 100).map((a) => a.id),
          'reject',
        );
      }
      const execution = await harness.finished(alertId);
      const events = await history(harness, executionArnOf(harness, alertId));

      // Assess
      expect(execution.status).toBe('SUCCEEDED');
      const payloads = events.flatMap((e) => [
        e.executionStartedEventDetails?.input,
        e.stateEnteredEventDetails?.input,
        e.stateExitedEventDetails?.output,
        e.executionSucceededEventDetails?.output,
      ]);
      const sizes = payloads.filter((p): p is string => p !== undefined).map(payloadBytes);
      expect(sizes.length).toBeGreaterThan(6);
      expect(Math.max(...sizes)).toBeLessThan(32 * 1024);
    } finally {
      await harness.close();
    }
  }, 120_000);
});

describe('remediation that runs on its target', () => {
  it('shows Running from submission; records Completed after 10 s, Failed later with the reason, TimedOut for a target that never answers', async () => {
    // Prepare
    const harness = await startInvestigationHarness(table, {
      connector: {
        'slow-file': { completesAfterSeconds: 10 },
        'doomed-proc': { failsAfterSeconds: { seconds: 3, reason: 'Device went offline' } },
        'silent-url': { neverFinishes: true },
      },
      connectorTimeoutSeconds: 14,
    });
    const alertId = 'alert-long-running';
    try {
      await harness.ingest(
        anAlert(alertId, [
          file('slow-file', 'malicious'),
          proc('doomed-proc', 'malicious'),
          url('silent-url', 'malicious'),
        ]),
      );
      const pending = await eventually(async () => {
        const listed = await listedPending(harness, investigationIdFor(alertId));
        return listed.length === 3 ? listed : undefined;
      });

      // Act
      await harness.decideMany(
        pending.map((a) => a.id),
        'approve',
      );
      const running = await harness.waitForAction(
        alertId,
        'slow-file',
        (a) => a.status === 'Running',
        'Running',
      );
      const doomed = await harness.waitForAction(
        alertId,
        'doomed-proc',
        (a) => a.status === 'Failed',
        'Failed',
      );
      const execution = await harness.finished(alertId);

      // Assess
      expect(running.status).toBe('Running');
      expect(doomed.result?.detail).toBe('Device went offline');
      expect(execution.status).toBe('SUCCEEDED');
      const done = await harness.stores.investigations.get(investigationIdFor(alertId));
      const byTarget = new Map(done.actions.map((a) => [a.target.id, a]));
      const slow = byTarget.get('slow-file');
      expect(slow?.status).toBe('Completed');
      expect(slow?.result?.outcome).toBe('JobCompleted');
      expect(
        Date.parse(slow?.result?.at ?? '') - Date.parse(slow?.decision?.at ?? ''),
      ).toBeGreaterThanOrEqual(10_000);
      const silent = byTarget.get('silent-url');
      expect(silent?.status).toBe('Failed');
      expect(silent?.result?.outcome).toBe('TimedOut');
      expect(silent?.result?.detail).toContain('did not finish the action within 14 s');
      expect(done.investigation.status).toBe('PartiallyRemediated');
      // Polled with backoff, not hammered: a handful of status calls over 14 s.
      expect(harness.connector.calls.get('silent-url')).toBeLessThanOrEqual(6);
    } finally {
      await harness.close();
    }
  }, 60_000);
});

describe('a resume that is not a decision', () => {
  it('changes nothing: whoever holds the task token can only make the loop look again', async () => {
    // Prepare
    const harness = await startInvestigationHarness(table);
    const alertId = 'alert-forged-resume';
    try {
      await harness.ingest(anAlert(alertId, [file('forged-file', 'malicious')]));
      const pending = await harness.waitForAction(
        alertId,
        'forged-file',
        (a) => a.status === 'Pending',
        'Pending',
      );
      const [wait] = await eventually(async () => {
        const waits = harness.engine.waitingTasks();
        return waits.length === 1 ? waits : undefined;
      });

      // Act: a caller with the token (a compromised role) resumes the wait claiming an approval.
      await harness.engine.sendTaskSuccess({
        taskToken: wait?.taskToken as string,
        output: JSON.stringify({ approved: [pending.id], status: 'Approved', done: true }),
      });
      const next = await eventually(async () => {
        const waits = harness.engine.waitingTasks();
        return waits.length === 1 && waits[0]?.taskToken !== wait?.taskToken ? waits : undefined;
      });

      // Assess: the loop read the table again and waits again; the action is still Pending.
      expect(next).toHaveLength(1);
      expect((await harness.actionOf(alertId, 'forged-file'))?.status).toBe('Pending');
      expect(harness.connector.calls.size).toBe(0);
    } finally {
      await harness.close();
    }
  }, 30_000);
});

describe('a step that breaks', () => {
  it('ends the investigation Failed, closes its actions with the reason, and refuses decisions on them', async () => {
    // Prepare
    const harness = await startInvestigationHarness(table, {
      brokenTasks: { Advance: 'Advance broke: table unavailable' },
      executionStatusEvents: true,
    });
    const alertId = 'alert-broken-advance';
    try {
      await harness.ingest(
        anAlert(alertId, [file('broken-file', 'malicious'), proc('broken-proc', 'malicious')]),
      );

      // Act: the approval's pass breaks; the other action is still Pending when it does.
      await harness.decide(alertId, 'broken-file', 'approve');
      const execution = await harness.finished(alertId);
      const closed = await harness.waitForAction(
        alertId,
        'broken-proc',
        (a) => a.status === 'Rejected',
        'closed by the System',
      );

      // Assess
      expect(execution.status).toBe('FAILED');
      expect(closed.decision?.by).toBe('System');
      const approved = await harness.actionOf(alertId, 'broken-file');
      expect(approved?.status).toBe('Failed');
      expect(approved?.result?.detail).toContain('Advance broke');
      await eventually(
        async () => {
          const { investigation } = await harness.stores.investigations.get(
            investigationIdFor(alertId),
          );
          return investigation.status === 'Failed' || undefined;
        },
        { what: 'the investigation Failed' },
      );
      const { results } = await harness.decideMany([closed.id], 'approve');
      expect(results).toEqual([{ id: closed.id, outcome: 'conflict' }]);
    } finally {
      await harness.close();
    }
  }, 60_000);
});
