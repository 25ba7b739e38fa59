// The stand-in answers in Microsoft's published shapes (test/fixtures/microsoft/README.md): every
// field of each sample is in the stand-in's answer to the same call.
import { readFileSync } from 'node:fs';
import { afterEach, expect, it } from '@jest/globals';
import {
  type DefenderStandIn,
  SERVER,
  startDefenderStandIn,
} from '../../../support/defender-standin.js';

const sample = (name: string) =>
  JSON.parse(readFileSync(`test/fixtures/microsoft/${name}.json`, 'utf8')) as Record<
    string,
    unknown
  >;
const fieldsOf = (value: unknown) => Object.keys(value as object).sort();

let defender: DefenderStandIn | undefined;
afterEach(() => defender?.standIn.close());

it('answers a machine action with every field of the published one', async () => {
  defender = await startDefenderStandIn();
  const created = await defender.api.call<{ id: string }>({
    service: 'defenderEndpoint',
    method: 'POST',
    url: `/api/machines/${SERVER}/isolate`,
    body: { Comment: 'Isolate machine due to alert 1234', IsolationType: 'Full' },
    permission: 'Machine.Isolate',
  });
  const read = await defender.api.call({
    service: 'defenderEndpoint',
    method: 'GET',
    url: `/api/machineactions/${created.body.id}`,
    permission: 'Machine.Read.All',
  });

  expect(created.status).toBe(201);
  expect(fieldsOf(read.body)).toEqual(
    expect.arrayContaining(fieldsOf(sample('machine-action-get'))),
  );
});

it('answers a live response with every field of the published one', async () => {
  defender = await startDefenderStandIn();
  const published = sample('run-live-response');

  const answer = await defender.api.call<{ commands: unknown[] }>({
    service: 'defenderEndpoint',
    method: 'POST',
    url: `/api/machines/${SERVER}/runliveresponse`,
    body: {
      Commands: (published.commands as { command: unknown }[]).map((c) => c.command),
      Comment: 'Testing Live Response API',
    },
    permission: 'Machine.LiveResponse',
  });

  expect(fieldsOf(answer.body)).toEqual(expect.arrayContaining(fieldsOf(published)));
  const [command] = published.commands as unknown[];
  expect(fieldsOf(answer.body.commands[0])).toEqual(fieldsOf(command));
});

it('answers indicators with every field of the published ones', async () => {
  defender = await startDefenderStandIn();
  const [published] = sample('indicators-list').value as Record<string, unknown>[];

  await defender.api.call({
    service: 'defenderEndpoint',
    method: 'POST',
    url: '/api/indicators',
    body: {
      indicatorValue: '12.13.14.15',
      indicatorType: 'IpAddress',
      action: 'Alert',
      title: 'test',
      description: 'test',
    },
    permission: 'Ti.ReadWrite.All',
  });
  const list = await defender.api.call<{ value: unknown[] }>({
    service: 'defenderEndpoint',
    method: 'GET',
    url: '/api/indicators',
    permission: 'Ti.ReadWrite.All',
  });

  expect(fieldsOf(list.body)).toEqual(fieldsOf(sample('indicators-list')));
  expect(fieldsOf(list.body.value[0])).toEqual(fieldsOf(published));
});

it('accepts the published e-mail remediation with 202 and the Action center link', async () => {
  defender = await startDefenderStandIn();

  const answer = await defender.api.call({
    service: 'graph',
    method: 'POST',
    url: '/v1.0/security/collaboration/analyzedEmails/remediate',
    body: sample('analyzedemail-remediate-request'),
    permission: 'SecurityAnalyzedMessage.ReadWrite.All',
  });

  expect(answer.status).toBe(202);
  expect(answer.headers.get('location')).toMatch(
    /^https:\/\/security\.microsoft\.com\/action-center\/history\?filters=\{"bulkId":\["[0-9a-f-]{36}"\]\}&tid=/,
  );
});
