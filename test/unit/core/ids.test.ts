import { createHash } from 'node:crypto';
import { ValidationError } from '../../../functions/core/errors.js';
import {
  actionIdFor,
  assertInvestigationId,
  investigationIdFor,
  investigationIdOf,
  isActionId,
  isInvestigationId,
} from '../../../functions/core/ids.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const HEX20 = '0123456789abcdef0123';
const HEX12 = '0123456789ab';

describe('investigationIdFor', () => {
  it('maps the same alert to the same investigation every time', () => {
    expect(investigationIdFor('alert-42')).toBe(investigationIdFor('alert-42'));
  });

  it('is "inv-" and the first 20 hex digits of sha256("alert|" + alertId)', () => {
    expect(investigationIdFor('alert-42')).toBe(`inv-${sha256('alert|alert-42').slice(0, 20)}`);
  });

  it.each([
    'alert-1',
    'da637b6d-1f4e-4c55-9a4a-1f6a8f0ee001',
    'ü-alert-✓',
    ' ',
    '../../etc/passwd',
    'x'.repeat(256),
  ])('gives a well-formed investigation id for alert %j', (alertId) => {
    const id = investigationIdFor(alertId);

    expect(id).toMatch(/^inv-[0-9a-f]{20}$/);
    expect(isInvestigationId(id)).toBe(true);
  });

  it('maps different alerts to different investigations', () => {
    // Prepare
    const alertIds = Array.from({ length: 1_000 }, (_, i) => `alert-${i}`);

    // Act
    const ids = new Set(alertIds.map(investigationIdFor));

    // Assess
    expect(ids.size).toBe(alertIds.length);
  });
});

describe('actionIdFor', () => {
  const investigationId = investigationIdFor('alert-1');

  it('is deterministic for the same investigation and dedup key', () => {
    expect(actionIdFor(investigationId, 'quarantineFile|file|dev-1|f')).toBe(
      actionIdFor(investigationId, 'quarantineFile|file|dev-1|f'),
    );
  });

  it('is "act-", the investigation digest and the first 12 hex digits of sha256(dedupKey)', () => {
    const id = actionIdFor(investigationId, 'k');

    expect(id).toBe(`act-${investigationId.slice(4)}-${sha256('k').slice(0, 12)}`);
    expect(id).toMatch(/^act-[0-9a-f]{20}-[0-9a-f]{12}$/);
    expect(isActionId(id)).toBe(true);
  });

  it('differs for different dedup keys and for different investigations', () => {
    const other = investigationIdFor('alert-2');

    expect(actionIdFor(investigationId, 'a')).not.toBe(actionIdFor(investigationId, 'b'));
    expect(actionIdFor(investigationId, 'a')).not.toBe(actionIdFor(other, 'a'));
  });
});

describe('investigationIdOf', () => {
  it.each(['alert-1', 'alert-2', 'ü', 'x'.repeat(256)])(
    'reads back the investigation of an action id (alert %j)',
    (alertId) => {
      // Prepare
      const investigationId = investigationIdFor(alertId);
      const actionId = actionIdFor(
        investigationId,
        `blockUrl|url||https://evil.example/${alertId}`,
      );

      // Act
      const read = investigationIdOf(actionId);

      // Assess
      expect(read).toBe(investigationId);
    },
  );

  it('accepts a hand-written well-formed action id', () => {
    expect(investigationIdOf(`act-${HEX20}-${HEX12}`)).toBe(`inv-${HEX20}`);
  });
});

// Ids arrive in URL paths: anything but the exact format is refused before any read.
const MALFORMED_INVESTIGATION_IDS: [string, string][] = [
  ['empty', ''],
  ['only the prefix', 'inv-'],
  ['one digit short', `inv-${HEX20.slice(1)}`],
  ['one digit long', `inv-${HEX20}0`],
  ['upper-case hex', `inv-${HEX20.toUpperCase()}`],
  ['upper-case prefix', `INV-${HEX20}`],
  ['non-hex letters', `inv-${'g'.repeat(20)}`],
  ['a path traversal', `../inv-${HEX20}`],
  ['a path suffix', `inv-${HEX20}/../../etc/passwd`],
  ['a slash inside', `inv-${HEX20.slice(0, 10)}/${HEX20.slice(11)}`],
  ['url-encoded dots', `%2e%2e%2finv-${HEX20}`],
  ['a leading space', ` inv-${HEX20}`],
  ['a trailing newline', `inv-${HEX20}\n`],
  ['a trailing NUL', `inv-${HEX20}\u0000`],
  ['full-width digits', `inv-${'０'.repeat(20)}`],
  ['Arabic-Indic digits', `inv-${'٣'.repeat(20)}`],
  ['a Cyrillic а for a', `inv-${HEX20.replace('a', 'а')}`],
  ['an action id', `act-${HEX20}-${HEX12}`],
  ['far too long', `inv-${'a'.repeat(10_000)}`],
  ['the wrong separator', `inv_${HEX20}`],
];

describe('investigation id validation', () => {
  it('accepts a well-formed id', () => {
    expect(isInvestigationId(`inv-${HEX20}`)).toBe(true);
    expect(() => assertInvestigationId(`inv-${HEX20}`)).not.toThrow();
  });

  it.each(MALFORMED_INVESTIGATION_IDS)('rejects %s', (_, id) => {
    // Act
    let thrown: unknown;
    try {
      assertInvestigationId(id);
    } catch (error) {
      thrown = error;
    }

    // Assess
    expect(isInvestigationId(id)).toBe(false);
    expect(thrown).toBeInstanceOf(ValidationError);
    expect((thrown as ValidationError).code).toBe('ValidationFailed');
    expect((thrown as ValidationError).details).toEqual({ fields: { id: 'malformed' } });
  });
});

const MALFORMED_ACTION_IDS: [string, string][] = [
  ['empty', ''],
  ['only the prefix', 'act-'],
  ['an investigation id', `inv-${HEX20}`],
  ['a short investigation part', `act-${HEX20.slice(1)}-${HEX12}`],
  ['a short action part', `act-${HEX20}-${HEX12.slice(1)}`],
  ['a long action part', `act-${HEX20}-${HEX12}0`],
  ['no separator', `act-${HEX20}${HEX12}`],
  ['upper-case hex', `act-${HEX20.toUpperCase()}-${HEX12}`],
  ['a path traversal', `../act-${HEX20}-${HEX12}`],
  ['a path suffix', `act-${HEX20}-${HEX12}/../x`],
  ['a trailing newline', `act-${HEX20}-${HEX12}\n`],
  ['full-width digits', `act-${'０'.repeat(20)}-${HEX12}`],
  ['an emoji', `act-${HEX20}-${HEX12.slice(0, 11)}😀`],
  ['far too long', `act-${HEX20}-${'a'.repeat(10_000)}`],
];

describe('action id validation', () => {
  it('accepts a well-formed id', () => {
    expect(isActionId(`act-${HEX20}-${HEX12}`)).toBe(true);
  });

  it.each(MALFORMED_ACTION_IDS)('rejects %s', (_, id) => {
    // Act
    let thrown: unknown;
    try {
      investigationIdOf(id);
    } catch (error) {
      thrown = error;
    }

    // Assess
    expect(isActionId(id)).toBe(false);
    expect(thrown).toBeInstanceOf(ValidationError);
    expect((thrown as ValidationError).details).toEqual({ fields: { id: 'malformed' } });
  });
});
