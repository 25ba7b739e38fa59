// Live response through the defender connector: Microsoft allows 10 calls a minute, 25 sessions
// and one per device. The connector paces itself through the table shared by every invocation:
// an action past the limit stays running, saying why, and takes its turn on a later check.
import { afterEach, describe, expect, it } from '@jest/globals';
import { DefenderConnector } from '../../../../functions/adapters/connectors/defender.js';
import { DynamoLiveResponsePacing } from '../../../../functions/adapters/dynamodb/live-response-pacing.js';
import type { Action } from '../../../../functions/core/model.js';
import type { RemediationProgress } from '../../../../functions/core/ports.js';
import { makeAction } from '../../../fixtures/actions.js';
import {
  type DefenderStandIn,
  MACHINES,
  startDefenderStandIn,
} from '../../../support/defender-standin.js';
import { type LocalTable, startLocalTable } from '../../../support/dynalite.js';

const SCRIPT = 'actioncenter-remediate.ps1';
let table: LocalTable | undefined;
let defender: DefenderStandIn | undefined;

afterEach(async () => {
  await defender?.standIn.close();
  await table?.stop();
});

async function start() {
  defender = await startDefenderStandIn();
  table = await startLocalTable();
  return { defender, table };
}

/** A connector as one Lambda invocation builds it: its own client, the shared table. */
function connector(d: DefenderStandIn, t: LocalTable) {
  return new DefenderConnector({
    api: d.api,
    pacing: new DynamoLiveResponsePacing(t.doc, t.config, 3_600_000),
    liveResponseScript: SCRIPT,
    timeoutSeconds: 262_800,
    now: d.now,
  });
}

const killProcess = (deviceId: string): Action =>
  makeAction({
    type: 'killProcess',
    status: 'Running',
    target: {
      kind: 'process',
      id: '4812@2026-11-01T11:58:00.000Z',
      displayName: 'evil.exe (4812)',
      deviceId,
    },
  });

const refOf = (p: RemediationProgress) => (p.state === 'running' ? p.ref : undefined);
const liveResponseCalls = (d: DefenderStandIn) => d.calls('POST', /\/runliveresponse$/);

describe('defender connector: live response', () => {
  it('runs the library script with the action type and its target as base64 JSON', async () => {
    const { defender, table } = await start();
    const action = killProcess(MACHINES[0] as string);

    const progress = await connector(defender, table).submit(action);

    expect(progress).toMatchObject({ state: 'running', ref: expect.any(String) });
    const [call] = liveResponseCalls(defender);
    expect(call?.path).toBe(`/api/machines/${MACHINES[0]}/runliveresponse`);
    const target = Buffer.from(JSON.stringify(action.target)).toString('base64');
    expect(call?.body).toEqual({
      Comment: `Action Center ${action.id}: killProcess by live response script ${SCRIPT} (alert ${action.alertId})`,
      Commands: [
        {
          type: 'RunScript',
          params: [
            { key: 'ScriptName', value: SCRIPT },
            {
              key: 'Args',
              value: `-ActionType killProcess -ActionId ${action.id} -TargetBase64 ${target}`,
            },
          ],
        },
      ],
    });
  });

  it('makes no more than 10 calls in a minute across two invocations; the rest wait, running, and take their turn a minute later', async () => {
    // Prepare: two Lambda invocations share the table; 12 actions on 12 devices at once
    const { defender, table } = await start();
    const first = connector(defender, table);
    const second = connector(defender, table);
    const actions = MACHINES.slice(0, 12).map(killProcess);

    // Act
    const progress: RemediationProgress[] = [];
    const invocation = async (c: DefenderConnector, parity: number) => {
      for (const [i, a] of actions.entries()) if (i % 2 === parity) progress[i] = await c.submit(a);
    };
    await Promise.all([invocation(first, 0), invocation(second, 1)]);

    // Assess
    expect(liveResponseCalls(defender)).toHaveLength(10);
    expect(
      defender.standIn.requests.some(
        (r) => r.path.endsWith('runliveresponse') && r.method !== 'POST',
      ),
    ).toBe(false);
    const waiting = progress.filter((p) => refOf(p) === undefined);
    expect(waiting).toHaveLength(2);
    for (const p of waiting) {
      expect(p).toEqual({
        state: 'running',
        detail: expect.stringMatching(
          /^waiting for its turn: 10 live response calls were made in the last minute/,
        ),
      });
    }

    // Act: a check before the minute is out waits again; one after it runs
    const late = actions.filter((_, i) => refOf(progress[i] as RemediationProgress) === undefined);
    defender.advance(30_000);
    const tooEarly = await first.status(late[0] as Action, undefined);
    defender.advance(31_000);
    const onTime = await Promise.all(late.map((a) => second.status(a, undefined)));

    // Assess
    expect(refOf(tooEarly)).toBeUndefined();
    expect(onTime.every((p) => refOf(p) !== undefined)).toBe(true);
    const times = liveResponseCalls(defender).map((r) => r.at);
    expect(times).toHaveLength(12);
    for (const t of times)
      expect(times.filter((u) => u > t - 60_000 && u <= t).length).toBeLessThanOrEqual(10);
  });

  it('runs one session per device: the second action on a device waits until the first one ends', async () => {
    const { defender, table } = await start();
    const c = connector(defender, table);
    const device = MACHINES[3] as string;
    const kill = killProcess(device);
    const stop = makeAction({
      type: 'stopService',
      status: 'Running',
      target: { kind: 'service', id: 'EvilSvc', displayName: 'EvilSvc', deviceId: device },
    });

    const firstTurn = await c.submit(kill);
    const waits = await c.submit(stop);
    const ref = refOf(firstTurn) as string;
    const polls = [await c.status(kill, ref), await c.status(kill, ref), await c.status(kill, ref)];
    const secondTurn = await c.status(stop, undefined);

    expect(waits).toEqual({
      state: 'running',
      detail: `waiting for its turn: live response session of action ${kill.id} still runs on device ${device} (one session per device)`,
    });
    expect(polls.map((p) => p.state)).toEqual(['running', 'running', 'completed']);
    expect(polls[2]).toMatchObject({ outcome: 'ProcessKilled' });
    expect(refOf(secondTurn)).toEqual(expect.any(String));
    expect(liveResponseCalls(defender).map((r) => r.path)).toEqual([
      `/api/machines/${device}/runliveresponse`,
      `/api/machines/${device}/runliveresponse`,
    ]);
  });

  it('keeps the failure reason of a live response that failed on the device', async () => {
    const { defender, table } = await start();
    const c = connector(defender, table);
    const action = killProcess('f46b9bb259ed4a7fb9981b73510e3cc7aa81ec1f');

    const ref = refOf(await c.submit(action)) as string;
    await c.status(action, ref);
    await c.status(action, ref);
    const ended = await c.status(action, ref);

    expect(ended).toEqual({
      state: 'failed',
      outcome: 'Failed',
      reason: `Defender for Endpoint machine action ${ref} (LiveResponse) on desktop-39g9tgl ended Failed; errors: The script failed on the device`,
    });
  });

  it('is paced because Defender answers the 11th call in a minute with 429 (the stand-in as Microsoft documents)', async () => {
    const { defender } = await start();
    const call = (machineId: string) =>
      defender.api.call({
        service: 'defenderEndpoint',
        method: 'POST',
        url: `/api/machines/${machineId}/runliveresponse`,
        body: { Comment: 'direct', Commands: [{ type: 'RunScript', params: [] }] },
        permission: 'Machine.LiveResponse',
        maxRetryAfterMs: 0,
      });

    for (const id of MACHINES.slice(0, 10)) await call(id);
    const eleventh = call(MACHINES[10] as string);

    await expect(eleventh).rejects.toMatchObject({ kind: 'transient', status: 429 });
  });
});
