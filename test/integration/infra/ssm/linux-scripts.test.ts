// The Linux documents of the ssm connector, run for real on this machine: the script exactly as
// the document holds it, with the parameters substituted as Systems Manager does.
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SsmActionType, SsmParameters } from '../../../../functions/core/ssm-commands.js';
import { ssmDocumentScript } from '../../../../infra/aws/constructs/ssm-documents.js';

const ACTION_ID = 'act-0123456789abcdef0123-0123456789ab';
let work: string;
let quarantine: string;

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'ssm-linux-'));
  quarantine = join(work, 'quarantine');
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

/** Runs a Linux document's script under `sh`, as the agent would after substituting parameters. */
function runDocument(
  type: SsmActionType,
  parameters: SsmParameters,
  env: Record<string, string> = {},
): { status: number | null; stdout: string; stderr: string; record: Record<string, unknown> } {
  const script = ssmDocumentScript(type, 'Linux')
    .join('\n')
    .replace(/\{\{ (\w+) \}\}/g, (_, name: keyof SsmParameters) => parameters[name] ?? '');
  const run = spawnSync('sh', ['-s'], {
    input: script,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', AC_QUARANTINE_ROOT: quarantine, ...env },
  });
  const last = run.stdout.trim().split('\n').pop() ?? '';
  const record = last.startsWith('{') ? (JSON.parse(last) as Record<string, unknown>) : {};
  return { status: run.status, stdout: run.stdout, stderr: run.stderr, record };
}

const sha256Of = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('quarantineFile', () => {
  it('moves the file into a root-only folder, records path and sha256, and undo restores it', () => {
    // Prepare
    const path = join(work, 'invoice.exe');
    writeFileSync(path, 'MZ not really a program');
    chmodSync(path, 0o751);
    const sha256 = sha256Of(path);

    // Act
    const execute = runDocument('quarantineFile', {
      operation: 'execute',
      actionId: ACTION_ID,
      path,
      sha256,
    });

    // Assess
    expect(execute.stderr).toBe('');
    expect(execute.status).toBe(0);
    expect(execute.record).toMatchObject({ path, sha256, mode: '751', platform: 'Linux' });
    expect(existsSync(path)).toBe(false);
    const kept = join(quarantine, ACTION_ID, 'file');
    expect(statSync(kept).mode & 0o777).toBe(0);
    expect(statSync(quarantine).mode & 0o777).toBe(0o700);
    expect(statSync(join(quarantine, ACTION_ID)).mode & 0o777).toBe(0o700);

    const undo = runDocument('quarantineFile', {
      operation: 'undo',
      actionId: ACTION_ID,
      path,
      sha256,
    });
    expect(undo.status).toBe(0);
    expect(readFileSync(path, 'utf8')).toBe('MZ not really a program');
    expect(statSync(path).mode & 0o777).toBe(0o751);
    expect(existsSync(join(quarantine, ACTION_ID))).toBe(false);
  });

  it('answers a repeated execute with the first record and leaves the file quarantined', () => {
    const path = join(work, 'dropper.sh');
    writeFileSync(path, 'echo hi');
    const parameters = { operation: 'execute', actionId: ACTION_ID, path, sha256: '' };
    const first = runDocument('quarantineFile', parameters);

    const again = runDocument('quarantineFile', parameters);

    expect(again.status).toBe(0);
    expect(again.record).toEqual(first.record);
    expect(existsSync(join(quarantine, ACTION_ID, 'file'))).toBe(true);
  });

  it('refuses a file whose sha256 differs from the alert, and leaves it in place', () => {
    const path = join(work, 'changed.bin');
    writeFileSync(path, 'other content');

    const run = runDocument('quarantineFile', {
      operation: 'execute',
      actionId: ACTION_ID,
      path,
      sha256: 'a'.repeat(64),
    });

    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/not quarantined/);
    expect(existsSync(path)).toBe(true);
  });

  it('does not overwrite a file that came back at the path on undo', () => {
    const path = join(work, 'again.exe');
    writeFileSync(path, 'first');
    const sha256 = sha256Of(path);
    runDocument('quarantineFile', { operation: 'execute', actionId: ACTION_ID, path, sha256 });
    writeFileSync(path, 'a new file');

    const undo = runDocument('quarantineFile', {
      operation: 'undo',
      actionId: ACTION_ID,
      path,
      sha256,
    });

    expect(undo.status).not.toBe(0);
    expect(undo.stderr).toMatch(/exists again/);
    expect(readFileSync(path, 'utf8')).toBe('a new file');
  });
});

describe('killProcess', () => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    if (child?.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });

  /** The start time as `ps` reports it (whole seconds, UTC): independent of the script's /proc arithmetic. */
  const startTimeOf = (pid: number) =>
    new Date(
      `${execFileSync('ps', ['-o', 'lstart=', '-p', String(pid)], { env: { TZ: 'UTC' }, encoding: 'utf8' }).trim()} UTC`,
    ).toISOString();

  const spawnSleep = async () => {
    child = spawn('sleep', ['300'], { stdio: 'ignore' });
    await new Promise((r) => child?.once('spawn', r));
    return {
      pid: child.pid as number,
      image: realpathSync(
        execFileSync('sh', ['-c', 'command -v sleep'], { encoding: 'utf8' }).trim(),
      ),
    };
  };
  const exited = () =>
    new Promise<NodeJS.Signals | null>((r) => child?.once('exit', (_, signal) => r(signal)));

  it('kills the process when its pid, start time and image path all match', async () => {
    const { pid, image } = await spawnSleep();
    const ended = exited();

    const run = runDocument('killProcess', {
      operation: 'execute',
      actionId: ACTION_ID,
      pid: String(pid),
      startTime: startTimeOf(pid),
      path: image,
    });

    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(await ended).toBe('SIGKILL');
    expect(run.record).toMatchObject({ pid, path: image, platform: 'Linux' });
  });

  it('refuses a reused pid: the same pid with another start time is not killed', async () => {
    const { pid, image } = await spawnSleep();
    const anHourEarlier = new Date(Date.parse(startTimeOf(pid)) - 3_600_000).toISOString();

    const run = runDocument('killProcess', {
      operation: 'execute',
      actionId: ACTION_ID,
      pid: String(pid),
      startTime: anHourEarlier,
      path: image,
    });

    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/pid was reused, not killed/);
    expect(child?.exitCode).toBeNull();
    expect(child?.signalCode).toBeNull();
  });

  it('refuses a process running another image than the alert names', async () => {
    const { pid } = await spawnSleep();

    const run = runDocument('killProcess', {
      operation: 'execute',
      actionId: ACTION_ID,
      pid: String(pid),
      startTime: startTimeOf(pid),
      path: '/usr/bin/definitely-not-sleep',
    });

    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/not killed/);
    expect(child?.signalCode).toBeNull();
  });

  it('fails for a process that has ended', () => {
    const run = runDocument('killProcess', {
      operation: 'execute',
      actionId: ACTION_ID,
      pid: '999999999',
      startTime: new Date().toISOString(),
      path: '/usr/bin/sleep',
    });

    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/it has ended/);
  });
});

/** A systemctl stand-in (this machine runs no systemd): unit state kept in files. */
function fakeSystemctl(units: Record<string, { enabled: string; active: boolean }>): string {
  const bin = join(work, 'bin');
  const state = join(work, 'units');
  mkdirSync(bin);
  mkdirSync(state);
  for (const [unit, s] of Object.entries(units)) {
    writeFileSync(join(state, `${unit}.enabled`), s.enabled);
    if (s.active) writeFileSync(join(state, `${unit}.active`), '');
  }
  writeFileSync(
    join(bin, 'systemctl'),
    `#!/bin/sh
# Records each call; answers show / is-enabled / is-active from the state folder.
echo "$*" >>"${state}/calls"
for last; do :; done
unit="$last"; s="${state}/$unit"
case "$1" in
show) [ -f "$s.enabled" ] && echo loaded || echo not-found ;;
is-enabled) cat "$s.enabled"; [ "$(cat "$s.enabled")" = enabled ] ;;
is-active) [ -f "$s.active" ] ;;
stop) rm -f "$s.active" ;;
start) touch "$s.active" ;;
disable) echo disabled >"$s.enabled" ;;
enable) echo enabled >"$s.enabled" ;;
esac
`,
  );
  chmodSync(join(bin, 'systemctl'), 0o755);
  return bin;
}

describe('stopService (a systemctl stand-in)', () => {
  it('stops and disables the unit recording its start type, and undo restores both', () => {
    const bin = fakeSystemctl({ 'miner.service': { enabled: 'enabled', active: true } });
    const env = { PATH: `${bin}:${process.env.PATH}` };
    const units = join(work, 'units');

    const execute = runDocument(
      'stopService',
      { operation: 'execute', actionId: ACTION_ID, serviceName: 'miner.service' },
      env,
    );

    expect(execute.status).toBe(0);
    expect(execute.record).toEqual({
      serviceName: 'miner.service',
      startType: 'enabled',
      wasRunning: 'true',
      platform: 'Linux',
    });
    expect(existsSync(join(units, 'miner.service.active'))).toBe(false);
    expect(readFileSync(join(units, 'miner.service.enabled'), 'utf8').trim()).toBe('disabled');

    const undo = runDocument(
      'stopService',
      {
        operation: 'undo',
        actionId: ACTION_ID,
        serviceName: 'miner.service',
        startType: 'enabled',
        wasRunning: 'true',
      },
      env,
    );
    expect(undo.status).toBe(0);
    expect(existsSync(join(units, 'miner.service.active'))).toBe(true);
    expect(readFileSync(join(units, 'miner.service.enabled'), 'utf8').trim()).toBe('enabled');
  });

  it('fails for a unit that does not exist', () => {
    const bin = fakeSystemctl({});

    const run = runDocument(
      'stopService',
      { operation: 'execute', actionId: ACTION_ID, serviceName: 'ghost.service' },
      { PATH: `${bin}:${process.env.PATH}` },
    );

    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/no service ghost.service/);
  });
});

describe('disableDriver (the blacklist part; modules cannot be loaded in this container)', () => {
  it('blacklists a module that is not loaded, and undo removes the blacklist', () => {
    const modprobe = join(work, 'modprobe.d');
    const conf = join(modprobe, 'actioncenter-evil_rootkit.conf');

    const execute = runDocument(
      'disableDriver',
      { operation: 'execute', actionId: ACTION_ID, driverName: 'evil_rootkit' },
      { AC_MODPROBE_DIR: modprobe },
    );

    expect(execute.status).toBe(0);
    expect(readFileSync(conf, 'utf8')).toBe(
      'blacklist evil_rootkit\ninstall evil_rootkit /bin/false\n',
    );
    expect(execute.record).toMatchObject({ driverName: 'evil_rootkit', wasRunning: 'false' });

    const undo = runDocument(
      'disableDriver',
      {
        operation: 'undo',
        actionId: ACTION_ID,
        driverName: 'evil_rootkit',
        startType: 'blacklisted',
        wasRunning: 'false',
      },
      { AC_MODPROBE_DIR: modprobe },
    );
    expect(undo.status).toBe(0);
    expect(existsSync(conf)).toBe(false);
  });
});

describe('removeScheduledTask (a cron.d file)', () => {
  it('exports the cron file into the quarantine and removes it; undo puts it back', () => {
    const cron = join(work, 'cron.d');
    mkdirSync(cron);
    writeFileSync(join(cron, 'persist'), '* * * * * root /tmp/.x\n');

    const execute = runDocument(
      'removeScheduledTask',
      { operation: 'execute', actionId: ACTION_ID, taskName: 'persist' },
      { AC_CRON_DIR: cron },
    );

    expect(execute.status).toBe(0);
    expect(existsSync(join(cron, 'persist'))).toBe(false);
    expect(readFileSync(join(quarantine, ACTION_ID, 'cron'), 'utf8')).toBe(
      '* * * * * root /tmp/.x\n',
    );

    const undo = runDocument(
      'removeScheduledTask',
      { operation: 'undo', actionId: ACTION_ID, taskName: 'persist' },
      { AC_CRON_DIR: cron },
    );
    expect(undo.status).toBe(0);
    expect(readFileSync(join(cron, 'persist'), 'utf8')).toBe('* * * * * root /tmp/.x\n');
  });
});

describe('parameters are inert', () => {
  it('a value with shell syntax (which the patterns refuse before sending) stays one literal string', () => {
    const path = join(work, 'x; touch pwned');
    const marker = join(work, 'pwned');

    // The connector and SSM refuse this value; the single quotes alone already keep it inert.
    const run = runDocument('quarantineFile', {
      operation: 'execute',
      actionId: ACTION_ID,
      path: `${path} $(touch ${marker})`,
      sha256: '',
    });

    expect(run.status).not.toBe(0);
    expect(existsSync(marker)).toBe(false);
  });
});
