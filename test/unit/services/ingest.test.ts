// Ingest over fakes: the rule it answers to, validation, and one investigation and one execution
// per alert id.
import { investigationIdFor } from '../../../functions/core/ids.js';
import type { AlertDetail, Entity } from '../../../functions/core/model.js';
import {
  ALERT_DETAIL_TYPE,
  alertRulePattern,
  alertRules,
  DEFAULT_ALERT_SOURCE,
  defaultSourceSettings,
  routesToIngest,
} from '../../../functions/ingest/rule.js';
import {
  createIngestHandler,
  type IngestPorts,
  type InvestigationInput,
  ingestAlert,
  ingestEvent,
} from '../../../functions/services/ingest.js';
import { alertEvent, anAlert, file, filesWithLongIds } from '../../fixtures/alerts.js';
import { type MetricsRecorder, recordMetrics } from '../../support/metrics.js';
import { fakeIngestPorts } from './workflow/fakes.js';

const NOW = new Date('2026-11-01T12:00:00.000Z');

/** `count` malicious files whose ids and names take the 1024 characters an entity allows. */
const filesWithLongestIds = (count: number): Entity[] =>
  Array.from({ length: count }, (_, i) => ({
    ...file(`${i}-`.padEnd(1024, 'f'), 'malicious'),
    displayName: `${i}-`.padEnd(1024, 'n'),
  }));

function ports() {
  const { ports: p, ...rest } = fakeIngestPorts(NOW);
  return { p, ...rest };
}

describe('the alert rules', () => {
  const rules = alertRules(defaultSourceSettings());
  const routed = (event: Record<string, unknown>, bus = 'default') =>
    routesToIngest(event, rules, bus, 'default');

  it('route Security Alert events of the configured source, and of no other source', () => {
    expect(alertRulePattern()).toEqual({
      source: [DEFAULT_ALERT_SOURCE],
      'detail-type': [ALERT_DETAIL_TYPE],
    });
    expect(routed({ source: 'actioncenter.alerts', 'detail-type': 'Security Alert' })).toBe(true);
    expect(routed({ source: 'other', 'detail-type': 'Security Alert' })).toBe(false);
    expect(routed({ source: 'actioncenter.alerts', 'detail-type': 'Heartbeat' })).toBe(false);
    const acme = alertRules(defaultSourceSettings('acme.edr'));
    expect(
      routesToIngest(
        { source: 'acme.edr', 'detail-type': 'Security Alert' },
        acme,
        'default',
        'default',
      ),
    ).toBe(true);
  });

  it('keep only the enabled sources, aws ones on the default bus, ours on the configured one', () => {
    const only = alertRules({ ...defaultSourceSettings(), enabled: ['actioncenter', 'guardduty'] });

    expect(only.map((r) => [r.source, r.bus])).toEqual([
      ['actioncenter', 'configured'],
      ['guardduty', 'default'],
    ]);
    const event = { source: 'actioncenter.alerts', 'detail-type': 'Security Alert', detail: {} };
    expect(routesToIngest(event, only, 'alerts-bus', 'alerts-bus')).toBe(true);
    expect(routesToIngest(event, only, 'default', 'alerts-bus')).toBe(false);
  });

  it('drop our own alerts below the severity floor', () => {
    const floor = alertRules({ ...defaultSourceSettings(), minSeverity: 'high' });
    const ours = (severity: string) => ({
      source: 'actioncenter.alerts',
      'detail-type': 'Security Alert',
      detail: { severity },
    });

    expect(routesToIngest(ours('critical'), floor, 'default', 'default')).toBe(true);
    expect(routesToIngest(ours('high'), floor, 'default', 'default')).toBe(true);
    expect(routesToIngest(ours('medium'), floor, 'default', 'default')).toBe(false);
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

  it('rejects an invalid alert with its reasons, keeping the event and starting nothing', async () => {
    const { p, investigations, starts, rejected } = ports();
    const broken = { ...anAlert('alert-x', []), detectedAt: 'yesterday' } as unknown as AlertDetail;

    const results = await createIngestHandler(p)(alertEvent(broken, 'event-broken') as never);
    await createIngestHandler(p)(alertEvent(broken, 'event-broken') as never);

    expect(results).toEqual([
      expect.objectContaining({
        outcome: 'rejected',
        problems: [expect.stringMatching(/detectedAt/)],
      }),
    ]);
    expect(investigations.items.size).toBe(0);
    expect(starts).toEqual([]);
    // Kept once, with its reason, problems and body; a redelivery of the same event keeps nothing more.
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatchObject({
      source: 'actioncenter.alerts',
      detailType: 'Security Alert',
      eventId: 'event-broken',
      reason: 'The event detail is not a valid alert',
      problems: [expect.stringMatching(/detectedAt/)],
      truncated: false,
    });
    expect(JSON.parse(rejected[0]?.body ?? '')).toEqual(broken);
  });

  it('keeps each unmappable finding of one Security Hub event, though they share its id', async () => {
    const { p, rejected } = ports();
    const event = {
      id: 'event-two-findings',
      source: 'aws.securityhub',
      'detail-type': 'Security Hub Findings - Imported',
      detail: { findings: [{ Id: 'not-asff-1' }, { Id: 'not-asff-2' }] },
    };

    const results = await ingestEvent(event, p);
    await ingestEvent(event, p);

    expect(results.map((r) => r.outcome)).toEqual(['rejected', 'rejected']);
    expect(rejected).toHaveLength(2);
  });

  it('keeps at most 64 KiB of a rejected body, and says it was cut', async () => {
    const { p, rejected } = ports();
    const huge = { alertId: 'huge', title: 'x'.repeat(200_000) };

    await ingestAlert(alertEvent(huge, 'event-huge'), p);

    expect(rejected[0]?.body).toHaveLength(64 * 1024);
    expect(rejected[0]?.truncated).toBe(true);
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
