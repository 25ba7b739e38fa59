// GET /openapi.json answers the committed document to anyone, and the document is valid OpenAPI
// 3.1 by an independent validator (openapi-spec-validator, when this machine has it).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OPENAPI_FILE } from '../../../infra/openapi/write.js';
import { ApiHarness } from '../../support/api-harness.js';

const VALIDATOR = 'openapi-spec-validator';
const validatorFound = spawnSync(VALIDATOR, ['--version'], { encoding: 'utf8' }).status === 0;
if (!validatorFound) {
  console.warn(
    `Skipping the OpenAPI validation tests: they need ${VALIDATOR} (pip install ${VALIDATOR}).`,
  );
}
const withValidator = validatorFound ? it : it.skip;

function validate(file: string) {
  return spawnSync(VALIDATOR, [file], { encoding: 'utf8' });
}

describe('GET /openapi.json', () => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await ApiHarness.start();
  });
  afterAll(() => api.stop());

  it('answers the committed document without a token', async () => {
    const res = await api.get('/openapi.json', { claims: null });

    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toEqual(JSON.parse(readFileSync(OPENAPI_FILE, 'utf8')));
  });

  it('still refuses every other route without a token', async () => {
    const res = await api.get('/me', { claims: null });

    expect(res.status).toBe(401);
  });
});

describe('the committed document', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'openapi-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  withValidator('is valid OpenAPI 3.1', () => {
    const result = validate(OPENAPI_FILE);

    expect([result.status, result.stdout.trim()]).toEqual([0, `${OPENAPI_FILE}: OK`]);
  });

  withValidator('would be refused if it were broken', () => {
    const document = JSON.parse(readFileSync(OPENAPI_FILE, 'utf8'));
    document.paths['/me'].get.parameters = [{ name: 'id', in: 'body' }];
    const file = join(dir, 'broken.json');
    writeFileSync(file, JSON.stringify(document));

    const result = validate(file);

    expect(result.status).not.toBe(0);
  });
});
