// How the action lists are ordered, searched and cut into pages: pure, so the store, the tests
// and the page agree. A list is sorted as a whole and a page starts after the previous page's last
// sort key (keyset paging), so a page stays right when actions leave or join the list meanwhile.
import { type Action, SEVERITIES } from './model.js';

/** What the pending tab sorts by; `age` is `createdAt`, `expiry` is `expiresAt`. */
export const PENDING_SORTS = ['severity', 'age', 'expiry', 'type', 'target'] as const;
/** The history tab also sorts by when the action was decided. */
export const ACTION_SORTS = [...PENDING_SORTS, 'decidedAt'] as const;
export type ActionSort = (typeof ACTION_SORTS)[number];
export type SortOrder = 'asc' | 'desc';

export interface ActionOrder {
  sort: ActionSort;
  order: SortOrder;
}

/** Pending: critical first (then the oldest first); history: the newest decision first. */
export const DEFAULT_ORDER: Record<'pending' | 'history', ActionOrder> = {
  pending: { sort: 'severity', order: 'desc' },
  history: { sort: 'decidedAt', order: 'desc' },
};

/**
 * Where an action stands in a sorted list: the sorted value, then its creation time and its id, so
 * no two actions share a key. Ties go oldest first, then by id, both ascending; except for the
 * sorts an index serves (INDEX_ORDERED), whose ties go by id in the list's direction, as the index
 * orders them, and whose creation time is left empty.
 */
export type SortKey = readonly [value: string, createdAt: string, id: string];

/**
 * The sorts a table index keeps in order: `expiry` (the queue index, `${expiresAt}#${id}`) and
 * `decidedAt` (the timeline index, `${decidedAt}#${id}`). A page of these is read from the index
 * (O(limit) items) and must come in the order the whole sorted list would have.
 */
export const INDEX_ORDERED: ReadonlySet<ActionSort> = new Set<ActionSort>(['expiry', 'decidedAt']);

/** Severity as a digit, informational 0 ... critical 4, so it compares as text. */
const severityRank = (action: Action) => String(SEVERITIES.indexOf(action.severity));

const SORT_VALUE: Record<ActionSort, (action: Action) => string> = {
  severity: severityRank,
  age: (a) => a.createdAt,
  expiry: (a) => a.expiresAt,
  type: (a) => a.type,
  target: (a) => a.target.displayName.toLowerCase(),
  // The timeline key's time: an operator's or the System's decision, else (Expired without one)
  // the move to Expired, which is the action's last write (adapters/dynamodb/action-store.ts).
  decidedAt: (a) => a.decision?.at ?? a.updatedAt,
};

export function sortKeyOf(action: Action, sort: ActionSort): SortKey {
  return [SORT_VALUE[sort](action), INDEX_ORDERED.has(sort) ? '' : action.createdAt, action.id];
}

const compareText = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);

/** Negative when `x` comes before `y` in `order` (see SortKey for the ties). */
export function compareKeys(x: SortKey, y: SortKey, { sort, order }: ActionOrder): number {
  const direction = order === 'desc' ? -1 : 1;
  const byValue = direction * compareText(x[0], y[0]);
  if (byValue !== 0) return byValue;
  if (INDEX_ORDERED.has(sort)) return direction * compareText(x[2], y[2]);
  return compareText(x[1], y[1]) || compareText(x[2], y[2]);
}

export interface OrderedPage {
  items: Action[];
  /** The last item's key when more items follow it. */
  lastKey?: SortKey;
}

/** Sorts every matching action and answers the `limit` that follow the key `after` (if any). */
export function pageOf(
  actions: readonly Action[],
  order: ActionOrder,
  limit: number,
  after?: SortKey,
): OrderedPage {
  const keyed = actions.map((action) => ({ action, key: sortKeyOf(action, order.sort) }));
  keyed.sort((x, y) => compareKeys(x.key, y.key, order));
  const start = after ? keyed.findIndex(({ key }) => compareKeys(key, after, order) > 0) : 0;
  if (start < 0) return { items: [] };
  const page = keyed.slice(start, start + limit);
  const more = start + limit < keyed.length;
  const last = page[page.length - 1];
  return { items: page.map((k) => k.action), ...(more && last && { lastKey: last.key }) };
}

/**
 * What `q` searches, case-insensitively, as a substring: the target's name, the device's name,
 * the mailbox, the alert's title, the investigation id and the asset group.
 */
export function searchedTextOf(action: Action): string[] {
  const { target } = action;
  return [
    target.displayName,
    target.deviceName,
    target.mailbox,
    action.alertTitle,
    action.investigationId,
    action.assetGroup,
  ].filter((text): text is string => text !== undefined && text !== '');
}

export function matchesText(action: Action, q: string | undefined): boolean {
  const needle = q?.trim().toLowerCase();
  if (!needle) return true;
  return searchedTextOf(action).some((text) => text.toLowerCase().includes(needle));
}

/**
 * The asset an action acts on, by name: the device (its name) for a device's action, else the
 * mailbox, else the target's own name (an e-mail cluster, a URL...). Never an id when a name is known.
 */
export function assetNameOf(action: Pick<Action, 'target'>): string {
  const { target } = action;
  if (target.kind === 'device') return target.displayName;
  return target.deviceName ?? target.mailbox ?? target.displayName;
}
