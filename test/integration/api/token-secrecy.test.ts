// The task token of an investigation's wait never leaves the server: not in a response body
// (the investigation item stores it), not in a log line.
import { SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import { plus, T0 } from '../../fixtures/actions.js';
import { claimsFor } from '../../support/api-events.js';
import type { ApiHarness, ApiResponse } from '../../support/api-harness.js';

// Log everything: the logger reads its level once, when the modules below are first imported.
process.env.LOG_LEVEL = 'DEBUG';
process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';

const ADMIN = claimsFor('admin@example.com', ['GlobalAdmin']);
const READER = claimsFor('reader@example.com', ['SecurityReader']);
let api: ApiHarness;
const logLines: string[] = [];
const streams = [process.stdout, process.stderr] as const;
const originalWrites = streams.map((stream) => stream.write);

beforeAll(async () => {
  const { ApiHarness } = await import('../../support/api-harness.js');
  api = await ApiHarness.start();
  // Capture what the logger writes (it writes to the process streams, one JSON line per entry).
  for (const stream of streams) {
    stream.write = ((chunk: unknown) => {
      logLines.push(String(chunk));
      return true;
    }) as typeof stream.write;
  }
});
afterAll(async () => {
  streams.forEach((stream, i) => {
    stream.write = originalWrites[i] as typeof stream.write;
  });
  await api.stop();
});
beforeEach(() => {
  api.now = plus(T0, 3600);
  api.resetWorkflow();
});

/** The SDK's own error text can quote the token it was sent: it must stay on the server. */
const leakyError = (name: string, token: string) =>
  Object.assign(new Error(`${name}: the task token ${token} is not valid`), { name });

it('keeps every task token out of responses and logs, whatever happens to the wake', async () => {
  const responses: ApiResponse[] = [];
  const tokens: string[] = [];
  const pending = async () => {
    const action = await api.pending();
    tokens.push(`TASKTOKEN-${action.investigationId}`);
    return action;
  };

  const approved = await pending();
  responses.push(
    await api.post(`/actions/${approved.id}/approve`, { claims: ADMIN, body: { comment: 'ok' } }),
  );

  const retried = await pending();
  api.sfn
    .on(SendTaskSuccessCommand)
    .rejectsOnce(leakyError('ServiceUnavailable', `TASKTOKEN-${retried.investigationId}`))
    .resolves({});
  responses.push(await api.post(`/actions/${retried.id}/approve`, { claims: ADMIN }));

  const queued = await pending();
  api.sfn
    .on(SendTaskSuccessCommand)
    .rejects(leakyError('InvalidToken', `TASKTOKEN-${queued.investigationId}`));
  responses.push(await api.post(`/actions/${queued.id}/approve`, { claims: ADMIN }));

  const timedOut = await pending();
  api.sfn
    .on(SendTaskSuccessCommand)
    .rejects(leakyError('TaskTimedOut', `TASKTOKEN-${timedOut.investigationId}`));
  responses.push(await api.post(`/actions/${timedOut.id}/approve`, { claims: ADMIN }));

  api.resetWorkflow();
  const rejected = await pending();
  api.sfn
    .on(SendTaskSuccessCommand)
    .rejects(leakyError('TaskDoesNotExist', `TASKTOKEN-${rejected.investigationId}`));
  responses.push(await api.post(`/actions/${rejected.id}/reject`, { claims: ADMIN }));

  api.resetWorkflow();
  const bulk = [await pending(), await pending()];
  responses.push(
    await api.post('/actions/decisions', {
      claims: ADMIN,
      body: { actionIds: bulk.map((a) => a.id), decision: 'approve' },
    }),
  );
  responses.push(await api.post(`/actions/${approved.id}/approve`, { claims: ADMIN }));

  api.now = plus(api.now, 600);
  api.sfn
    .on(SendTaskSuccessCommand)
    .rejects(leakyError('InternalFailure', `TASKTOKEN-${queued.investigationId}`));
  await api.reconciler()();

  const unread = await pending();
  for (const path of [
    '/actions',
    '/actions?tab=history',
    `/actions/${unread.id}`,
    `/actions/${approved.id}`,
    '/actions/export.csv',
    `/investigations/${unread.investigationId}`,
    '/audit',
  ]) {
    const [route, query] = path.split('?');
    responses.push(
      await api.get(route as string, {
        claims: READER,
        query: query ? Object.fromEntries(new URLSearchParams(query)) : undefined,
      }),
    );
  }

  expect(responses.map((r) => r.status)).toEqual([
    200, 200, 200, 200, 200, 200, 409, 200, 200, 200, 200, 200, 200, 200,
  ]);
  const logged = logLines.join('\n');
  expect(logged).toContain('"level":"DEBUG"');
  expect(logged).toContain('Could not resume the investigation');
  expect(logged).toContain(queued.investigationId);
  for (const token of tokens) {
    for (const response of responses) expect(response.text).not.toContain(token);
    for (const line of logLines) expect(line).not.toContain(token);
  }
  for (const response of responses) expect(response.text).not.toMatch(/taskToken|TASKTOKEN/i);
});
