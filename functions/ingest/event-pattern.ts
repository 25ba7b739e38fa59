// EventBridge content filtering, for the patterns the alert rules use: the local EventBridge
// stand-in matches events with it exactly as the rules CDK deploys would. Supported: exact values
// (strings, numbers, booleans, null), `prefix`, `anything-but` (values or a prefix), `numeric`
// ranges and `exists`; nested objects; an array in the event matches when any element does.
// (No `$or`, `wildcard`, `suffix` or `equals-ignore-case`: the rules do not use them.)

/** An EventBridge event pattern in its JSON form. */
export type EventPattern = { [field: string]: EventPattern | readonly Matcher[] };

export type Matcher =
  | string
  | number
  | boolean
  | null
  | { prefix: string }
  | { 'equals-ignore-case': string }
  | { 'anything-but': string | number | readonly (string | number)[] | { prefix: string } }
  | { numeric: readonly (string | number)[] }
  | { exists: boolean };

type Comparison = '<' | '<=' | '=' | '>=' | '>';

function compare(value: number, op: Comparison, bound: number): boolean {
  switch (op) {
    case '<':
      return value < bound;
    case '<=':
      return value <= bound;
    case '=':
      return value === bound;
    case '>=':
      return value >= bound;
    case '>':
      return value > bound;
  }
}

function numericMatches(value: unknown, conditions: readonly (string | number)[]): boolean {
  if (typeof value !== 'number' || !Number.isFinite(value)) return false;
  for (let i = 0; i + 1 < conditions.length; i += 2) {
    if (!compare(value, conditions[i] as Comparison, Number(conditions[i + 1]))) return false;
  }
  return true;
}

/** One matcher against one (non-array) value present in the event. */
function matchesValue(matcher: Matcher, value: unknown): boolean {
  if (matcher === null || typeof matcher !== 'object') return value === matcher;
  if ('prefix' in matcher) return typeof value === 'string' && value.startsWith(matcher.prefix);
  if ('equals-ignore-case' in matcher) {
    return (
      typeof value === 'string' &&
      value.toLowerCase() === matcher['equals-ignore-case'].toLowerCase()
    );
  }
  if ('numeric' in matcher) return numericMatches(value, matcher.numeric);
  if ('anything-but' in matcher) {
    const but = matcher['anything-but'];
    if (but !== null && typeof but === 'object' && !Array.isArray(but)) {
      const { prefix } = but as { prefix: string };
      return typeof value === 'string' && !value.startsWith(prefix);
    }
    const excluded = Array.isArray(but) ? but : [but];
    return (typeof value === 'string' || typeof value === 'number') && !excluded.includes(value);
  }
  return false;
}

function matchesField(matchers: readonly Matcher[], present: boolean, value: unknown): boolean {
  return matchers.some((matcher) => {
    if (matcher !== null && typeof matcher === 'object' && 'exists' in matcher) {
      return matcher.exists === present;
    }
    if (!present) return false;
    const values = Array.isArray(value) ? value : [value];
    return values.some((v) => matchesValue(matcher, v));
  });
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** Whether `event` matches `pattern`: every field of the pattern, at every level. */
export function matchesPattern(pattern: EventPattern, event: unknown): boolean {
  if (!isObject(event)) return false;
  return Object.entries(pattern).every(([field, rule]) => {
    const present = Object.hasOwn(event, field);
    const value = present ? event[field] : undefined;
    if (Array.isArray(rule)) return matchesField(rule as readonly Matcher[], present, value);
    const nested = Array.isArray(value) ? value : [value];
    return present && nested.some((v) => matchesPattern(rule as EventPattern, v));
  });
}
