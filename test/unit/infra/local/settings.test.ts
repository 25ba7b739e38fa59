import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { preparePrivateDataDir } from '../../../../infra/local/data-dir.js';
import { localSettings } from '../../../../infra/local/settings.js';
import { StartupError } from '../../../../infra/local/startup-error.js';

describe('HOST', () => {
  it.each(['0.0.0.0', '192.168.1.20', '::', 'my-laptop.example'])(
    'refuses the non-loopback %j unless ALLOW_REMOTE=true, naming what would be exposed',
    (host) => {
      expect(() => localSettings({ HOST: host })).toThrow(StartupError);
      expect(() => localSettings({ HOST: host })).toThrow(
        /the API, the Step Functions and EventBridge stand-ins and the page/,
      );
      expect(localSettings({ HOST: host, ALLOW_REMOTE: 'true' })).toMatchObject({
        host,
        remote: true,
      });
    },
  );

  it.each(['127.0.0.1', '127.0.0.2', '::1', 'localhost'])('takes the loopback %j', (host) => {
    expect(localSettings({ HOST: host })).toMatchObject({ host, remote: false });
  });
});

describe('EVENT_DELIVERY_DELAY_MS', () => {
  it('delivers at once unless a test holds deliveries back', () => {
    expect(localSettings({}).eventDeliveryDelayMs).toBe(0);
    expect(localSettings({ EVENT_DELIVERY_DELAY_MS: '5000' }).eventDeliveryDelayMs).toBe(5000);
  });

  it('refuses a negative or fractional delay', () => {
    expect(() => localSettings({ EVENT_DELIVERY_DELAY_MS: '-1' })).toThrow(StartupError);
    expect(() => localSettings({ EVENT_DELIVERY_DELAY_MS: '1.5' })).toThrow(StartupError);
  });
});

describe('DATA_DIR', () => {
  const modeOf = (path: string) => statSync(path).mode & 0o777;

  it('is created 0700, whatever the umask', () => {
    const parent = mkdtempSync(join(tmpdir(), 'ac-data-'));
    const dir = join(parent, 'data');
    try {
      preparePrivateDataDir(dir);

      expect(modeOf(dir)).toBe(0o700);
      expect(modeOf(join(dir, '.write-check'))).toBe(0o600);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });

  it('narrows an existing, world-readable one: directories 0700, files 0600', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ac-data-'));
    try {
      mkdirSync(join(dir, 'dynamodb'));
      writeFileSync(join(dir, 'dynamodb', '000003.log'), 'x');
      writeFileSync(join(dir, 'executions.jsonl'), '');
      writeFileSync(join(dir, 'jwt-secret'), 'x'.repeat(43));
      for (const path of [dir, join(dir, 'dynamodb')]) chmodSync(path, 0o755);
      for (const name of ['dynamodb/000003.log', 'executions.jsonl', 'jwt-secret']) {
        chmodSync(join(dir, name), 0o644);
      }

      preparePrivateDataDir(dir);

      expect([dir, join(dir, 'dynamodb')].map(modeOf)).toEqual([0o700, 0o700]);
      expect(
        ['dynamodb/000003.log', 'executions.jsonl', 'jwt-secret'].map((n) => modeOf(join(dir, n))),
      ).toEqual([0o600, 0o600, 0o600]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
