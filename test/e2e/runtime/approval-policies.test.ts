// The local runtime with an approval policy file: a file that does not fit the schema stops
// start-up naming the policy and its line; a valid one is what GET /me answers from.
import { jest } from '@jest/globals';
import {
  apiClient,
  removeDataDir,
  startRuntimeProcess,
  tokenFor,
} from '../../support/runtime-process.js';

jest.setTimeout(90_000);

it('refuses to start with a policy that does not fit the schema, naming the policy and its line', async () => {
  const start = startRuntimeProcess({
    env: { APPROVAL_POLICY_FILE: 'test/fixtures/policies/broken.cedar' },
  });

  await expect(start).rejects.toThrow(/exited with 1[\s\S]*policy broken: line 3: [^\n]*colour/);
});

it('answers GET /me from the policy file: a custom set that lets nobody but GlobalAdmin decide e-mail', async () => {
  const runtime = await startRuntimeProcess({
    env: { APPROVAL_POLICY_FILE: 'test/fixtures/policies/endpoint-only.cedar' },
  });
  try {
    const me = await apiClient(
      runtime.url,
      await tokenFor('ana@example.com', ['SecurityAdmin', 'SearchAndPurge']),
    ).get('/me');

    expect(me.json.can).toEqual({ decideEndpoint: true, decideEmail: false });
  } finally {
    await runtime.stop();
    removeDataDir(runtime.dataDir);
  }
});
