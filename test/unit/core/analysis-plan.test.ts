// The workflow's domain: normalizing an alert, analyzing its evidence, planning its actions.
import {
  normalizeAlert,
  openInvestigation,
  parseAlert,
  worstVerdict,
} from '../../../functions/core/alert.js';
import { analyzeAlert } from '../../../functions/core/analysis.js';
import { dedupKeyOf } from '../../../functions/core/catalog.js';
import { actionIdFor, investigationIdFor } from '../../../functions/core/ids.js';
import { Action } from '../../../functions/core/model.js';
import { type PlanContext, planActions } from '../../../functions/core/planning.js';
import { anAlert, cluster, file, message, proc, url } from '../../fixtures/alerts.js';

const NOW = new Date('2026-11-01T12:00:00.000Z');
const context = (overrides: Partial<PlanContext> = {}): PlanContext => ({
  investigationId: investigationIdFor('alert-1'),
  alertId: 'alert-1',
  severity: 'high',
  automation: { endpoint: 'semi', email: 'semi' },
  assetGroups: [],
  approvalsRequired: {},
  pendingActionTtlSeconds: 604_800,
  now: NOW,
  ...overrides,
});
const plan = (alert = anAlert('alert-1', []), overrides: Partial<PlanContext> = {}) =>
  planActions(analyzeAlert(normalizeAlert(alert)).evidence, context(overrides));

describe('parseAlert', () => {
  it('accepts a valid alert and names the fields of an invalid one', () => {
    expect(parseAlert(anAlert('a', [file('f', 'malicious')]))).toMatchObject({ ok: true });

    const bad = parseAlert({ alertId: 'a', severity: 'urgent', entities: [{ kind: 'toaster' }] });

    expect(bad.ok).toBe(false);
    const problems = bad.ok ? [] : bad.problems.join('\n');
    expect(problems).toMatch(/severity/);
    expect(problems).toMatch(/entities\.0\.kind/);
  });
});

describe('normalizeAlert', () => {
  it('lists a repeated entity once, with its worst verdict', () => {
    const alert = anAlert('a', [
      file('f1', 'suspicious'),
      url('u1', 'clean'),
      file('f1', 'malicious'),
      file('f1', 'clean', 'device-2'),
    ]);

    const { entities } = normalizeAlert(alert);

    expect(entities.map((e) => [e.id, e.deviceId, e.verdict])).toEqual([
      ['f1', 'device-1', 'malicious'],
      ['u1', undefined, 'clean'],
      ['f1', 'device-2', 'clean'],
    ]);
  });

  it('orders verdicts malicious > suspicious > unknown > clean', () => {
    expect(worstVerdict('clean', 'unknown')).toBe('unknown');
    expect(worstVerdict('suspicious', 'unknown')).toBe('suspicious');
    expect(worstVerdict('suspicious', 'malicious')).toBe('malicious');
  });
});

describe('openInvestigation', () => {
  it('opens a Running investigation named after the alert, with nothing counted', () => {
    const alert = anAlert('alert-9', [file('f', 'malicious')], { severity: 'critical' });

    const { investigation, evidence } = openInvestigation(alert, NOW);

    expect(investigation).toMatchObject({
      id: investigationIdFor('alert-9'),
      alertIds: ['alert-9'],
      severity: 'critical',
      status: 'Running',
      createdAt: NOW.toISOString(),
      pendingSeconds: 0,
      counts: { actions: 0, pending: 0 },
    });
    expect(evidence).toEqual(alert.entities);
  });
});

describe('analyzeAlert', () => {
  it('carries every entity with its verdict and category', () => {
    const analysis = analyzeAlert(anAlert('a', [file('f', 'malicious'), url('u', 'clean')]));

    expect(analysis.evidence.map((e) => [e.kind, e.id, e.verdict, e.category])).toEqual([
      ['file', 'f', 'malicious', 'endpoint'],
      ['url', 'u', 'clean', 'email'],
    ]);
    expect(analysis.verdicts).toEqual({ malicious: 1, suspicious: 0, clean: 1, unknown: 0 });
    expect(analysis.threatsFound).toBe(true);
  });

  it('gathers messages sharing a clusterId into one cluster with the worst verdict', () => {
    const analysis = analyzeAlert(
      anAlert('a', [
        message('m1', 'suspicious', 'c1'),
        message('m2', 'malicious', 'c1'),
        message('m3', 'clean', 'c2'),
        message('m4', 'malicious'),
      ]),
    );

    expect(analysis.clusters).toEqual([
      { clusterId: 'c1', verdict: 'malicious', messageIds: ['m1', 'm2'] },
      { clusterId: 'c2', verdict: 'clean', messageIds: ['m3'] },
    ]);
    const c1 = analysis.evidence.find((e) => e.kind === 'emailCluster' && e.id === 'c1');
    expect(c1).toMatchObject({ clusterId: 'c1', messageCount: 2, memberIds: ['m1', 'm2'] });
  });

  it('merges an alert-declared cluster with its messages, keeping its reported size', () => {
    const analysis = analyzeAlert(
      anAlert('a', [cluster('c1', 'suspicious', 120), message('m1', 'malicious', 'c1')]),
    );

    const clusters = analysis.evidence.filter((e) => e.kind === 'emailCluster');
    expect(clusters).toHaveLength(1);
    expect(clusters[0]).toMatchObject({
      id: 'c1',
      verdict: 'malicious',
      messageCount: 120,
      displayName: 'Phishing wave c1',
    });
  });

  it('finds no threats in clean and unknown evidence', () => {
    const analysis = analyzeAlert(anAlert('a', [file('f', 'clean'), url('u', 'unknown')]));

    expect(analysis.threatsFound).toBe(false);
  });
});

describe('planActions', () => {
  it('proposes an action per malicious or suspicious entity, none for clean or unknown', () => {
    const { proposals } = plan(
      anAlert('alert-1', [
        file('f', 'malicious'),
        proc('p', 'suspicious'),
        url('u', 'clean'),
        file('g', 'unknown'),
      ]),
    );

    expect(proposals.map((p) => [p.action.type, p.action.target.id, p.approval])).toEqual([
      ['quarantineFile', 'f', 'operator'],
      ['killProcess', 'p', 'operator'],
    ]);
  });

  it('builds valid Pending actions with derived ids and the pending TTL', () => {
    const { proposals } = plan(anAlert('alert-1', [file('f', 'malicious')]));
    const action = proposals[0]?.action as Action;

    expect(Action.parse(action)).toEqual(action);
    expect(action).toMatchObject({
      id: actionIdFor(investigationIdFor('alert-1'), dedupKeyOf('quarantineFile', action.target)),
      status: 'Pending',
      source: 'AutomatedInvestigation',
      severity: 'high',
      undoable: true,
      createdAt: NOW.toISOString(),
      expiresAt: '2026-11-08T12:00:00.000Z',
    });
    expect(action.decision).toBeUndefined();
  });

  it('remediates a cluster once, through its cluster, not per message', () => {
    const { proposals } = plan(
      anAlert('alert-1', [
        message('m1', 'malicious', 'c1'),
        message('m2', 'malicious', 'c1'),
        message('m3', 'suspicious'),
      ]),
    );

    expect(proposals.map((p) => [p.action.type, p.action.target.kind, p.action.target.id])).toEqual(
      [
        ['softDeleteEmail', 'emailCluster', 'c1'],
        ['quarantineEmail', 'emailMessage', 'm3'],
      ],
    );
    expect(proposals[0]?.action.target.messageCount).toBe(2);
  });

  it('approves malicious evidence by Automation at level full; suspicious still waits', () => {
    const { proposals } = plan(
      anAlert('alert-1', [file('f', 'malicious'), proc('p', 'suspicious'), url('u', 'malicious')]),
      { automation: { endpoint: 'full', email: 'semi' } },
    );

    expect(proposals.map((p) => [p.action.target.id, p.approval, p.action.status])).toEqual([
      ['f', 'automatic', 'Approved'],
      ['p', 'operator', 'Pending'],
      ['u', 'operator', 'Pending'],
    ]);
    expect(proposals[0]?.action.decision).toEqual({
      by: 'Automation',
      at: NOW.toISOString(),
      automated: true,
    });
  });

  it('proposes nothing at level none, and counts what it left out', () => {
    const result = plan(anAlert('alert-1', [file('f', 'malicious'), url('u', 'malicious')]), {
      automation: { endpoint: 'none', email: 'semi' },
    });

    expect(result.proposals.map((p) => p.action.target.id)).toEqual(['u']);
    expect(result.notProposed).toBe(1);
  });

  it('is deterministic: the same evidence plans the same action ids', () => {
    const alert = anAlert('alert-1', [file('f', 'malicious'), message('m', 'malicious', 'c')]);

    expect(plan(alert).proposals.map((p) => p.action.id)).toEqual(
      plan(alert).proposals.map((p) => p.action.id),
    );
  });
});

describe('planActions: what the lists search and show', () => {
  it("names the device an action's target is on, from the evidence, and keeps the alert's title", () => {
    // Prepare
    const device = {
      kind: 'device' as const,
      id: 'device-1',
      verdict: 'clean' as const,
      displayName: 'WS-0042',
    };
    const alert = anAlert('alert-1', [file('f1', 'malicious'), device]);

    // Act
    const { proposals } = plan(alert, { alertTitle: 'Ransomware note dropped' });

    // Assess
    expect(proposals).toHaveLength(1);
    expect(proposals[0]?.action.target).toMatchObject({
      deviceId: 'device-1',
      deviceName: 'WS-0042',
    });
    expect(proposals[0]?.action.alertTitle).toBe('Ransomware note dropped');
  });
});
