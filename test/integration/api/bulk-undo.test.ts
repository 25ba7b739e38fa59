// `POST /actions/decisions` with `decision: "undo"`: several Completed actions undone in one call,
// each as `POST /actions/{id}/undo` would (permissions, one connector undo, audit), with its outcome.
import { plus, T0 } from '../../fixtures/actions.js';
import type { Claims } from '../../support/api-events.js';
import { ADMIN, ApiHarness, ARA, emailAction, READER } from '../../support/api-harness.js';

let api: ApiHarness;

beforeAll(async () => {
  api = await ApiHarness.start();
});
afterAll(() => api.stop());
beforeEach(() => {
  api.now = plus(T0, 3600);
  api.resetWorkflow();
  api.undoFailure = undefined;
  api.undoDelayMs = 0;
});

/** A bulk undo waits up to the harness's 2 s for the workflow, more than once in some tests. */
const UNDO_TEST_MS = 15_000;

async function auditOf(actionId: string) {
  const { items } = await api.stores.audit.list({ window: '180d', limit: 500 }, api.now);
  return items.filter((e) => e.actionId === actionId);
}

const undoMany = (actionIds: string[], options: { claims?: Claims; comment?: string } = {}) =>
  api.post('/actions/decisions', {
    claims: options.claims ?? ADMIN,
    body: {
      actionIds,
      decision: 'undo',
      ...(options.comment !== undefined && { comment: options.comment }),
    },
  });

describe('POST /actions/decisions with decision "undo"', () => {
  it(
    'undoes each Completed, undoable action and reports every other id as the single undo would answer it',
    async () => {
      // Prepare
      const first = await api.completed();
      const second = await api.completed();
      const email = await api.completed(emailAction());
      const pending = await api.pending();
      const notUndoable = await api.completed({ type: 'killProcess', undoable: false });
      const missing = `act-${'c'.repeat(20)}-${'d'.repeat(12)}`;

      // Act: the endpoint responder may not decide e-mail actions.
      const res = await undoMany(
        [first.id, second.id, email.id, pending.id, notUndoable.id, missing, first.id],
        { claims: ARA, comment: 'false positive, ticket 42' },
      );
      await api.undosSettled();

      // Assess
      expect(res.status).toBe(200);
      expect(res.body.results).toEqual([
        { id: first.id, outcome: 'undone' },
        { id: second.id, outcome: 'undone' },
        { id: email.id, outcome: 'forbidden' },
        { id: pending.id, outcome: 'conflict' },
        { id: notUndoable.id, outcome: 'conflict' },
        { id: missing, outcome: 'notFound' },
      ]);
      expect(api.undoCalls.map((a) => a.id).sort()).toEqual([first.id, second.id].sort());
      for (const id of [first.id, second.id]) {
        const action = await api.get(`/actions/${id}`, { claims: READER });
        expect(action.body).toMatchObject({
          status: 'Undone',
          undoRequested: { by: 'responder@example.com', comment: 'false positive, ticket 42' },
        });
        expect((await auditOf(id)).map((e) => [e.event, e.actor, e.comment])).toEqual([
          ['ActionUndone', 'responder@example.com', 'false positive, ticket 42'],
          ['UndoRequested', 'responder@example.com', 'false positive, ticket 42'],
          ['ActionApproved', 'seed', undefined],
        ]);
      }
      expect((await api.get(`/actions/${email.id}`, { claims: READER })).body.status).toBe(
        'Completed',
      );
    },
    UNDO_TEST_MS,
  );

  it(
    'answers 403 to a caller who may decide nothing, and undoes nothing',
    async () => {
      // Prepare
      const action = await api.completed();
      const before = api.undoCalls.length;

      // Act
      const res = await undoMany([action.id], { claims: READER });

      // Assess
      expect(res.status).toBe(403);
      expect(api.undoCalls).toHaveLength(before);
      expect((await api.get(`/actions/${action.id}`, { claims: READER })).body).not.toHaveProperty(
        'undoRequested',
      );
    },
    UNDO_TEST_MS,
  );

  it(
    "runs each action's connector undo once when a bulk undo and single undos of the same actions race",
    async () => {
      // Prepare: each action in its own investigation; the undo takes long enough to overlap.
      const first = await api.completed();
      const second = await api.completed();
      api.undoDelayMs = 50;

      // Act
      const [bulk, ...singles] = await Promise.all([
        undoMany([first.id, second.id]),
        api.post(`/actions/${first.id}/undo`, { claims: ADMIN }),
        api.post(`/actions/${second.id}/undo`, { claims: ADMIN }),
        api.post(`/actions/${first.id}/undo`, { claims: ADMIN }),
      ]);
      await api.undosSettled();

      // Assess: per action, exactly one of the requests won; the others were refused.
      for (const action of [first, second]) {
        expect(api.undoCalls.filter((a) => a.id === action.id)).toHaveLength(1);
        expect((await auditOf(action.id)).filter((e) => e.event === 'UndoRequested')).toHaveLength(
          1,
        );
        expect((await auditOf(action.id)).filter((e) => e.event === 'ActionUndone')).toHaveLength(
          1,
        );
      }
      const outcomes = bulk?.body.results.map((r: { outcome: string }) => r.outcome) ?? [];
      const singleWins = singles.filter((s) => s.status === 200).length;
      expect(outcomes.filter((o: string) => o === 'undone').length + singleWins).toBe(2);
      expect(singles.every((s) => s.status === 200 || s.status === 409)).toBe(true);
      expect(outcomes.every((o: string) => o === 'undone' || o === 'conflict')).toBe(true);
    },
    UNDO_TEST_MS,
  );

  it(
    'reports a refusal at the target as undoRefused and an outage as undoUnavailable; the actions stay Completed',
    async () => {
      // Prepare
      const refused = await api.completed();
      const failure = new Error('upstream said: instance i-123 is locked by policy p-9');
      failure.name = 'ConnectorPermanentError';
      api.undoFailure = failure;

      // Act
      const refusedRes = await undoMany([refused.id]);
      await api.undosSettled();
      const unreachable = await api.completed();
      failure.name = 'ConnectorTransientError';
      const unreachableRes = await undoMany([unreachable.id]);
      await api.undosSettled();

      // Assess
      expect(refusedRes.body.results).toEqual([{ id: refused.id, outcome: 'undoRefused' }]);
      expect(unreachableRes.body.results).toEqual([
        { id: unreachable.id, outcome: 'undoUnavailable' },
      ]);
      expect(refusedRes.text).not.toContain('i-123');
      for (const id of [refused.id, unreachable.id]) {
        expect((await api.get(`/actions/${id}`, { claims: READER })).body.status).toBe('Completed');
      }
    },
    UNDO_TEST_MS,
  );

  it(
    'reports undoRequested for an undo the workflow has not finished within the wait, and undoes it later',
    async () => {
      // Prepare: the undo takes longer than the API's 2 s wait.
      const action = await api.completed();
      api.undoDelayMs = 2_500;

      // Act
      const res = await undoMany([action.id], { comment: 'slow target' });
      await api.undosSettled();

      // Assess
      expect(res.body.results).toEqual([{ id: action.id, outcome: 'undoRequested' }]);
      expect((await api.get(`/actions/${action.id}`, { claims: READER })).body).toMatchObject({
        status: 'Undone',
        undoRequested: { by: 'admin@example.com', comment: 'slow target' },
      });
    },
    UNDO_TEST_MS,
  );
});
