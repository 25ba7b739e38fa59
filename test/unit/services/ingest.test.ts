// Ingest over fakes: the rule it answers to, validation, and one investigation and one execution
// per alert id.
import { investigationIdFor } from '../../../functions/core/ids.js';
import type { AlertDetail, Entity } from '../../../functions/core/model.js';
import {
  ALERT_DETAIL_TYPE,
  alertEventPattern,
  alertRulePattern,
  DEFAULT_ALERT_SOURCE,
  matchesAlertRule,
} from '../../../functions/ingest/rule.js';
import {
  createIngestHandler,
  type IngestPorts,
  type InvestigationInput,
  ingestAlert,
} from '../../../functions/services/ingest.js';
import { alertEvent, anAlert, file, filesWithLongIds } from '../../fixtures/alerts.js';
import { type MetricsRecorder, recordMetrics } from '../../support/metrics.js';
import { FakeActions, FakeInvestigations } from './workflow/fakes.js';

const NOW = new Date('2026-11-01T12:00:00.000Z');

/** `count` malicious files whose ids and names take the 1024 characters an entity allows. */
const filesWithLongestIds = (count: number): Entity[] =>
  Array.from({ length: count }, (_, i) => ({
    ...file(`${i}-`.padEnd(1024, 'f'), 'malicious'),
    displayName: `${i}-`.padEnd(1024, 'n'),
  }));

function ports() {
  const investigations = new FakeInvestigations(new FakeActions());
  const started = new Map<string, unknown>();
  const starts: string[] = [];
  const p: IngestPorts = {
    investigations,
    starter: {
      async startInvestigation(_arn, name, input) {
        starts.push(name);
        if (started.has(name)) return { started: false };
        started.set(name, input);
        return { started: true };
      },
    },
    stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:Investigation',
    clock: () => NOW,
  };
  return { p, investigations, started, starts };
}

describe('the alert rule', () => {
  it('matches Security Alert events of the configured source only', () => {
    expect(alertRulePattern()).toEqual({
      source: [DEFAULT_ALERT_SOURCE],
      'detail-type': [ALERT_DETAIL_TYPE],
    });
    expect(alertEventPattern('acme.edr')).toEqual({
      source: ['acme.edr'],
      detailType: ['Security Alert'],
    });
    expect(
      matchesAlertRule({ source: 'actioncenter.alerts', 'detail-type': 'Security Alert' }),
    ).toBe(true);
    expect(matchesAlertRule({ source: 'other', 'detail-type': 'Security Alert' })).toBe(false);
    expect(matchesAlertRule({ source: 'actioncenter.alerts', 'detail-type': 'Heartbeat' })).toBe(
      false,
    );
    expect(
      matchesAlertRule(
        { source: 'acme.edr', 'detail-type': 'Security Alert' },
        alertRulePattern('acme.edr'),
      ),
    ).toBe(true);
  });
});

describe('ingestAlert', () => {
  it('records the investigation, then starts its execution named after the alert', async () => {
    const { p, investigations, started } = ports();
    const alert = anAlert('alert-i', [file('f', 'malicious'), file('f', 'suspicious')]);

    const result = await ingestAlert(alertEvent(alert), p);

    const id = investigationIdFor('alert-i');
    expect(result).toEqual({ outcome: 'started', investigationId: id, alertId: 'alert-i' });
    expect((await investigations.get(id)).investigation).toMatchObject({
      status: 'Running',
      alertIds: ['alert-i'],
      createdAt: NOW.toISOString(),
    });
    expect((await investigations.get(id)).evidence).toEqual([file('f', 'malicious')]);
    const input: InvestigationInput = { investigationId: id };
    expect(started.get(id)).toEqual(input);
  });

  it('answers a second delivery as a duplicate: nothing recorded or started twice', async () => {
    const { p, investigations, started, starts } = ports();
    const alert = anAlert('alert-i', [file('f', 'malicious')]);
    await ingestAlert(alertEvent(alert, 'e1'), p);

    const again = await ingestAlert(alertEvent(alert, 'e2'), p);

    expect(again.outcome).toBe('duplicate');
    expect(investigations.items.size).toBe(1);
    expect(started.size).toBe(1);
    expect(starts).toEqual([investigationIdFor('alert-i'), investigationIdFor('alert-i')]);
  });

  it('rejects an invalid alert with its reasons, recording and starting nothing', async () => {
    const { p, investigations, starts } = ports();
    const broken = { ...anAlert('alert-x', []), detectedAt: 'yesterday' } as unknown as AlertDetail;

    const result = await createIngestHandler(p)(alertEvent(broken) as never);

    expect(result).toMatchObject({
      outcome: 'rejected',
      problems: [expect.stringMatching(/detectedAt/)],
    });
    expect(investigations.items.size).toBe(0);
    expect(starts).toEqual([]);
  });

  it('starts again after a start that failed (the investigation is already recorded)', async () => {
    const { p, started } = ports();
    const alert = anAlert('alert-i', [file('f', 'malicious')]);
    const failing: IngestPorts = {
      ...p,
      starter: { startInvestigation: () => Promise.reject(new Error('throttled')) },
    };
    await expect(ingestAlert(alertEvent(alert), failing)).rejects.toThrow('throttled');

    const retried = await ingestAlert(alertEvent(alert), p);

    expect(retried.outcome).toBe('started');
    expect(started.size).toBe(1);
  });

  describe('an alert whose evidence an investigation could not keep', () => {
    let metrics: MetricsRecorder;
    beforeEach(() => {
      metrics = recordMetrics();
    });
    afterEach(() => metrics.restore());

    it('rejects 500 entities with 1024-character ids and names with the reason, recording and starting nothing', async () => {
      const { p, investigations, starts } = ports();
      const alert = anAlert('alert-huge', filesWithLongestIds(500));

      const result = await ingestAlert(alertEvent(alert), p);

      expect(result).toEqual({
        outcome: 'rejected',
        reason: expect.stringMatching(
          /^The alert is too large to investigate: its 500 entities make \d+ bytes of evidence, over the 376832 an investigation may keep .*Send its entities as several smaller alerts, or with shorter ids and names\.$/,
        ),
        problems: [expect.stringMatching(/^entities: 500 entities make \d+ bytes of evidence$/)],
      });
      expect(investigations.items.size).toBe(0);
      expect(starts).toEqual([]);
      expect(metrics.values('AlertsRejected')).toEqual([1]);
      expect(metrics.values('AlertsIngested')).toEqual([]);
    });

    it('starts 500 entities with realistic 71-character ids', async () => {
      const { p, started } = ports();
      const alert = anAlert('alert-large', filesWithLongIds(500));

      const result = await ingestAlert(alertEvent(alert), p);

      expect(result.outcome).toBe('started');
      expect(started.size).toBe(1);
      expect(metrics.values('AlertsRejected')).toEqual([]);
    });
  });
});
