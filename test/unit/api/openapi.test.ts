// The OpenAPI document: generated from the zod schemas, committed as docs/openapi.json (and its
// readable page docs/api.md), covering exactly the declared routes, with examples that parse.
import { readFileSync } from 'node:fs';
import { openApiDocument } from '../../../functions/api/openapi.js';
import { API_ROUTES, type RouteKey, routeKeyOf } from '../../../functions/api/routes.js';
import { BODY_MODELS, ErrorBody, ROUTE_SCHEMAS } from '../../../functions/api/schemas.js';
import {
  OPENAPI_FILE,
  openApiText,
  REFERENCE_FILE,
  referenceText,
} from '../../../infra/openapi/write.js';

type Json = Record<string, unknown>;
const UP_TO_DATE = 'up to date';

const document = openApiDocument() as Json & { paths: Record<string, Record<string, Json>> };
const operations = Object.entries(document.paths).flatMap(([path, item]) =>
  Object.entries(item).map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, op })),
);
const mediaOf = (response: Json) =>
  Object.values(response.content as Record<string, Json>)[0] as Json;

describe('the committed contract', () => {
  it('docs/openapi.json is what the schemas generate', () => {
    const committed = readFileSync(OPENAPI_FILE, 'utf8');

    const verdict =
      committed === openApiText()
        ? UP_TO_DATE
        : 'docs/openapi.json differs from the zod schemas: run `npm run openapi` and commit it';

    expect(verdict).toBe(UP_TO_DATE);
  });

  it('docs/api.md is what the document renders', () => {
    const committed = readFileSync(REFERENCE_FILE, 'utf8');

    const verdict =
      committed === referenceText()
        ? UP_TO_DATE
        : 'docs/api.md differs from docs/openapi.json: run `npm run openapi` and commit it';

    expect(verdict).toBe(UP_TO_DATE);
  });
});

describe('the OpenAPI document', () => {
  it('has every declared route, and no other', () => {
    const declared = API_ROUTES.map(routeKeyOf).sort();

    const documented = operations.map((o) => o.key).sort();

    expect(documented).toEqual(declared);
  });

  it('asks for the bearer token on every route but its own and the signed webhook callbacks', () => {
    const open = Object.fromEntries(
      operations.filter((o) => Array.isArray(o.op.security)).map((o) => [o.key, o.op.security]),
    );

    expect(document.security).toEqual([{ bearer: [] }]);
    expect(open).toEqual({
      'GET /openapi.json': [],
      'POST /connectors/webhook/callbacks': [{ webhookSignature: [] }],
    });
    for (const { key, op } of operations) {
      const statuses = Object.keys(op.responses as Json);
      expect([key, statuses.includes('401')]).toEqual([key, key !== 'GET /openapi.json']);
    }
  });

  it('shows the path parameters, the query parameters of each route schema and the bodies', () => {
    for (const route of API_ROUTES) {
      const op = document.paths[route.path]?.[route.method.toLowerCase()] as Json;
      const parameters = (op.parameters as Json[]).map((p) => `${p.in}:${p.name}`);

      const query = Object.keys(ROUTE_SCHEMAS[routeKeyOf(route)].query.shape);
      const path = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => `path:${m[1]}`);

      expect(parameters).toEqual([...path, ...query.map((name) => `query:${name}`)]);
      const body = (op.requestBody as Json | undefined)?.content as Json | undefined;
      expect(body && mediaOf({ content: body }).schema).toEqual(
        'bodyModel' in route ? { $ref: `#/components/schemas/${route.bodyModel}` } : undefined,
      );
    }
  });

  it('answers the CSV export as text/csv with its content-disposition', () => {
    const op = operations.find((o) => o.key === 'GET /actions/export.csv')?.op ?? {};
    const ok = (op.responses as Record<string, Json>)['200'];

    expect(Object.keys(ok?.content as Json)).toEqual(['text/csv']);
    expect(Object.keys(ok?.headers as Json)).toEqual(['content-disposition']);
  });

  it('names the error codes of the handlers on the routes that answer them', () => {
    const statuses = (key: RouteKey) =>
      Object.keys(operations.find((o) => o.key === key)?.op.responses as Json);

    expect(statuses('POST /actions/{id}/approve')).toEqual([
      '200',
      '400',
      '401',
      '403',
      '404',
      '409',
      '410',
      '413',
      '415',
      '429',
      '500',
    ]);
    expect(statuses('POST /actions/{id}/undo')).toEqual([
      '200',
      '202',
      '400',
      '401',
      '403',
      '404',
      '409',
      '413',
      '415',
      '429',
      '500',
      '502',
      '503',
    ]);
    expect(statuses('GET /me')).toEqual(['200', '400', '401', '429', '500']);
    expect(statuses('POST /actions')).toEqual([
      '201',
      '400',
      '401',
      '403',
      '404',
      '413',
      '415',
      '429',
      '500',
    ]);
  });

  it('has examples that the schemas accept', () => {
    for (const { key, op } of operations) {
      const responses = op.responses as Record<string, Json>;
      // POST /actions creates what it answers: 201.
      const example = mediaOf((responses['200'] ?? responses['201']) as Json).example;

      const parsed = ROUTE_SCHEMAS[key as RouteKey].response.safeParse(example);
      const accepted = responses['202'] && mediaOf(responses['202'] as Json).example;

      expect([key, parsed.success && 'ok', parsed.error?.issues]).toEqual([key, 'ok', undefined]);
      if (accepted) {
        expect(ROUTE_SCHEMAS[key as RouteKey].response.safeParse(accepted).success).toBe(true);
      }
      const body = op.requestBody as Json | undefined;
      if (body) {
        const name = mediaOf(body).schema as { $ref: string };
        const schema = BODY_MODELS[name.$ref.split('/').pop() as keyof typeof BODY_MODELS];
        expect(schema.safeParse(mediaOf(body).example).success).toBe(true);
      }
    }
    const errors = (document.components as { responses: Record<string, Json> }).responses;
    for (const [name, response] of Object.entries(errors)) {
      expect([name, ErrorBody.safeParse(mediaOf(response).example).success]).toEqual([name, true]);
    }
  });
});
