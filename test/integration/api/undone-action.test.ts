// An undone action as the API reads it: who undid it, when and why (`undone`), and an
// investigation timeline that keeps the Completed event and adds the Undo with who and the comment.
import { plus, T0 } from '../../fixtures/actions.js';
import { ApiHarness, ARA, READER } from '../../support/api-harness.js';

let api: ApiHarness;

beforeAll(async () => {
  api = await ApiHarness.start();
});
afterAll(() => api.stop());
beforeEach(() => {
  api.now = plus(T0, 3600);
  api.resetWorkflow();
});

const UNDO_TEST_MS = 15_000;

describe('an undone action', () => {
  it(
    'carries who undid it, when, the comment and the remediation it reversed',
    async () => {
      // Prepare
      const action = await api.completed();
      api.now = plus(api.now, 120);

      // Act
      await api.post(`/actions/${action.id}/undo`, {
        claims: ARA,
        body: { comment: 'business app, ticket 42' },
      });
      await api.undosSettled();
      const res = await api.get(`/actions/${action.id}`, { claims: READER });

      // Assess
      expect(res.body).toMatchObject({
        status: 'Undone',
        result: { outcome: 'restored' },
        undone: {
          by: 'responder@example.com',
          at: api.now.toISOString(),
          comment: 'business app, ticket 42',
          requestedAt: api.now.toISOString(),
          reversed: { outcome: 'quarantined', at: action.result?.at },
        },
      });
    },
    UNDO_TEST_MS,
  );

  it(
    "keeps the Completed event in the investigation's timeline and adds the Undo with who and the comment",
    async () => {
      // Prepare
      const action = await api.completed();
      api.now = plus(api.now, 120);

      // Act
      await api.post(`/actions/${action.id}/undo`, {
        claims: ARA,
        body: { comment: 'business app, ticket 42' },
      });
      await api.undosSettled();
      const res = await api.get(`/investigations/${action.investigationId}`, { claims: READER });

      // Assess
      const ofAction = res.body.timeline.filter(
        (e: { actionId?: string }) => e.actionId === action.id,
      );
      expect(
        ofAction.map((e: Record<string, string>) => [e.event, e.status, e.by, e.comment]),
      ).toEqual([
        ['ActionProposed', 'Pending', undefined, undefined],
        ['ActionApproved', 'Approved', 'seed', undefined],
        ['ActionCompleted', 'Completed', undefined, undefined],
        ['ActionUndone', 'Undone', 'responder@example.com', 'business app, ticket 42'],
      ]);
      expect(ofAction.at(-1).at).toBe(api.now.toISOString());
    },
    UNDO_TEST_MS,
  );

  it(
    'reads an action undone before `undone` was kept with who undid it from its request',
    async () => {
      // Prepare: stored as an earlier version left it, Undone with only its request.
      const action = await api.completed();
      const requestedAt = api.now.toISOString();
      await api.stores.actions.requestUndo(
        action.id,
        { by: 'old@example.com', at: requestedAt, comment: 'before v2' },
        api.now,
        {
          at: requestedAt,
          actor: 'old@example.com',
          event: 'UndoRequested',
          actionId: action.id,
          investigationId: action.investigationId,
          before: 'Completed',
          after: 'Completed',
        },
      );
      await api.stores.actions.transition(action.id, 'Undone', plus(api.now, 5), {
        result: { outcome: 'restored', at: plus(api.now, 5).toISOString() },
      });

      // Act
      const res = await api.get(`/actions/${action.id}`, { claims: READER });

      // Assess
      expect(res.body.undone).toEqual({
        by: 'old@example.com',
        at: plus(api.now, 5).toISOString(),
        comment: 'before v2',
        requestedAt,
      });
    },
    UNDO_TEST_MS,
  );
});
