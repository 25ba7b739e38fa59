// Every workflow scenario of test/fixtures/workflow-scenarios.ts, run on the real ASL in
// aws-local-stepfunctions with the real task handlers over dynalite. Task tokens are the local
// engine's; decisions go through ActionStore.decide and SendTaskSuccess / SendTaskFailure.
import { investigationIdFor } from '../../../functions/core/ids.js';
import type { Action } from '../../../functions/core/model.js';
import { WORKFLOW_SCENARIOS, type WorkflowScenario } from '../../fixtures/workflow-scenarios.js';
import { type LocalTable, startLocalTable } from '../../support/dynalite.js';
import { OPERATOR, startInvestigationHarness } from '../../support/investigation-harness.js';

const SCENARIO_TIMEOUT_MS = 20_000;

let table: LocalTable;

beforeAll(async () => {
  table = await startLocalTable();
});
afterAll(() => table.stop());

const SETTLED = (a: Action) => !['Pending', 'Approved', 'Running'].includes(a.status);

describe('investigation workflow scenarios', () => {
  it.each(WORKFLOW_SCENARIOS.map((s) => [s.name, s] as const))(
    '%s',
    async (_name, scenario: WorkflowScenario) => {
      // Prepare
      const harness = await startInvestigationHarness(table, {
        automation: scenario.automation,
        pendingActionTtlSeconds: scenario.pendingActionTtlSeconds,
        connector: scenario.connector,
      });
      try {
        // Act
        for (const alert of scenario.alerts) {
          expect((await harness.ingest(alert)).outcome).toBe('started');
        }
        for (const d of scenario.decisions) {
          await harness.decide(d.alertId, d.targetId, d.decision);
          await harness.waitForAction(d.alertId, d.targetId, SETTLED, 'settled');
        }
        const executions = await Promise.all(
          scenario.alerts.map((a) => harness.finished(a.alertId)),
        );

        // Assess
        expect(executions.map((e) => [e.name, e.status, e.error])).toEqual(
          scenario.alerts.map((a) => [investigationIdFor(a.alertId), 'SUCCEEDED', undefined]),
        );
        const read = await Promise.all(
          scenario.alerts.map((a) =>
            harness.stores.investigations.get(investigationIdFor(a.alertId)),
          ),
        );
        const actions = read.flatMap((r) => r.actions);
        expect(actions).toHaveLength(scenario.expected.actions.length);
        const actionOf = (alertId: string, targetId: string) =>
          actions.find((a) => a.alertId === alertId && a.target.id === targetId);

        for (const expected of scenario.expected.actions) {
          const action = actionOf(expected.alertId, expected.targetId);
          expect({ target: expected.targetId, status: action?.status }).toEqual({
            target: expected.targetId,
            status: expected.status,
          });
          if (expected.automated !== undefined) {
            expect(action?.decision?.automated).toBe(expected.automated);
            if (expected.automated) expect(action?.decision?.by).toBe('Automation');
            else expect(action?.decision?.by).not.toBe('Automation');
          }
          if (expected.duplicateOf) {
            const original = actionOf(expected.duplicateOf.alertId, expected.duplicateOf.targetId);
            expect(action?.skippedBecause?.duplicateOf).toBe(original?.id);
            expect(action?.skippedBecause?.approvedAt).toBe(original?.decision?.at);
          }
          if (expected.resultIncludes) {
            expect(action?.result?.detail).toContain(expected.resultIncludes);
          }
        }

        for (const { investigation } of read) {
          const alertId = investigation.alertIds[0] as string;
          expect({ alertId, status: investigation.status }).toEqual({
            alertId,
            status: scenario.expected.investigations[alertId],
          });
          expect(investigation.endedAt).toBeDefined();
          expect(investigation.counts.actions).toBe(
            scenario.expected.actions.filter((a) => a.alertId === alertId).length,
          );
          expect(investigation.counts.pending).toBe(0);
          expect(investigation.pendingSeconds).toBeGreaterThanOrEqual(
            scenario.expected.minPendingSeconds ?? 0,
          );
        }

        const ids = new Set(read.map((r) => r.investigation.id));
        const audit = await harness.stores.audit.list({ window: '1d', limit: 200 }, new Date());
        // The operator's decisions are audited by the decision service; the rest is the workflow's.
        const events = audit.items.filter(
          (e) => ids.has(e.investigationId) && e.actor !== OPERATOR,
        );
        expect(events.map((e) => e.event).sort()).toEqual([...scenario.expected.audit].sort());
        for (const entry of events) {
          expect(['Automation', 'System']).toContain(entry.actor);
        }

        if (scenario.expected.connectorCalls) {
          expect(Object.fromEntries(harness.connector.calls)).toEqual(
            scenario.expected.connectorCalls,
          );
        }
        if (scenario.expected.maxWaits !== undefined) {
          const waits = executions.flatMap((e) =>
            harness.engine
              .executionHistory(e.executionArn)
              .filter((h) => h.type === 'StateEntered' && h.stateName === 'AwaitDecisions'),
          );
          expect(waits.length).toBeLessThanOrEqual(scenario.expected.maxWaits);
        }
        expect(harness.engine.waitingTasks()).toEqual([]);
      } finally {
        await harness.close();
      }
    },
    SCENARIO_TIMEOUT_MS,
  );
});
