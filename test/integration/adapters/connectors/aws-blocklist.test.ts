// blockUrl's reference record in the table (dynalite): the Action Center removes a domain only
// if it added it and no other Completed action on the same host still holds it. Route 53
// Resolver's DNS Firewall is not in moto, so its two calls are mocked.

import { EC2Client } from '@aws-sdk/client-ec2';
import {
  ListFirewallDomainsCommand,
  type ListFirewallDomainsCommandInput,
  type ListFirewallDomainsCommandOutput,
  Route53ResolverClient,
  UpdateFirewallDomainsCommand,
  type UpdateFirewallDomainsCommandInput,
  type UpdateFirewallDomainsCommandOutput,
} from '@aws-sdk/client-route53resolver';
import { type AwsCommand, type AwsStub, mockClient } from 'aws-sdk-client-mock';
import { AwsConnector } from '../../../../functions/adapters/connectors/aws.js';
import { DynamoDomainHolds } from '../../../../functions/adapters/dynamodb/domain-holds.js';
import type { Action } from '../../../../functions/core/model.js';
import { makeAction } from '../../../fixtures/actions.js';
import { completedOutcome } from '../../../support/connector-progress.js';
import { type LocalTable, startLocalTable } from '../../../support/dynalite.js';

type In = UpdateFirewallDomainsCommandInput | ListFirewallDomainsCommandInput;
type Out = UpdateFirewallDomainsCommandOutput | ListFirewallDomainsCommandOutput;
// client-route53resolver 3.654 is typed on an older @smithy/types than the mock (see aws.test.ts).
const resolver = mockClient(Route53ResolverClient as never) as unknown as AwsStub<In, Out, unknown>;
const Update = UpdateFirewallDomainsCommand as unknown as new (
  input: UpdateFirewallDomainsCommandInput,
) => AwsCommand<UpdateFirewallDomainsCommandInput, Out>;
const List = ListFirewallDomainsCommand as unknown as new (
  input: ListFirewallDomainsCommandInput,
) => AwsCommand<ListFirewallDomainsCommandInput, Out>;

const LIST = 'rslvr-fdl-0123456789abcdef';
let table: LocalTable;
/** The domain list as DNS Firewall keeps it. */
let listed: Set<string>;

beforeAll(async () => {
  table = await startLocalTable();
});
afterAll(() => table.stop());
beforeEach(() => {
  listed = new Set();
  resolver.reset();
  resolver.on(List).callsFake(() => ({ Domains: [...listed] }));
  resolver.on(Update).callsFake((input: UpdateFirewallDomainsCommandInput) => {
    for (const d of input.Domains ?? []) {
      if (input.Operation === 'ADD') listed.add(d);
      else listed.delete(d);
    }
    return {};
  });
});

const connector = () =>
  new AwsConnector(
    {
      clientsFor: async () => ({
        place: { region: 'eu-west-1', hub: true },
        ec2: new EC2Client({ region: 'eu-west-1' }),
        resolver: new Route53ResolverClient({ region: 'eu-west-1' }),
      }),
      holds: new DynamoDomainHolds(table.doc, table.config),
    },
    { dnsFirewallDomainListId: LIST, timeoutSeconds: 300 },
  );

let n = 0;
const blockAction = (url: string): Action => {
  n += 1;
  return makeAction({
    id: `act-block-${n}`,
    type: 'blockUrl',
    category: 'email',
    target: { kind: 'url', id: url, displayName: url },
  });
};

describe('blockUrl reference records', () => {
  it('two actions on one host: undoing one keeps the block, undoing the other removes it', async () => {
    // Prepare
    const first = blockAction('https://a.phish.example/login');
    const second = blockAction('http://A.PHISH.example/reset');
    await connector().submit(first);
    await connector().submit(second);

    // Act
    const undoFirst = await connector().undo(first);
    const afterFirst = [...listed];
    const undoSecond = await connector().undo(second);

    // Assess
    expect(afterFirst).toEqual(['a.phish.example']);
    expect(undoFirst.detail).toMatch(/other actions still block it/);
    expect(undoSecond.detail).toBe(`Removed a.phish.example from DNS Firewall domain list ${LIST}`);
    expect([...listed]).toEqual([]);
  });

  it('a domain listed before the Action Center blocked it stays listed after undo', async () => {
    // Prepare
    listed.add('known-bad.example');
    const action = blockAction('https://known-bad.example/x');

    // Act
    const blocked = completedOutcome(await connector().submit(action));
    await connector().undo(action);

    // Assess
    expect(JSON.parse(blocked.detail ?? '')).toMatchObject({ addedByActionCenter: false });
    expect([...listed]).toEqual(['known-bad.example']);
  });

  it('a retried submit and a retried undo change nothing more', async () => {
    // Prepare
    const action = blockAction('https://retry.example/');

    // Act
    await connector().submit(action);
    await connector().status(action);
    await connector().undo(action);
    const second = await connector().undo(action);

    // Assess
    expect([...listed]).toEqual([]);
    expect(second.detail).toMatch(/no record says the Action Center added it/);
  });

  it('two first blocks at once make one record: both hold it', async () => {
    // Prepare
    const one = blockAction('https://race.example/1');
    const two = blockAction('https://race.example/2');

    // Act
    await Promise.all([connector().submit(one), connector().submit(two)]);
    const holds = await new DynamoDomainHolds(table.doc, table.config).join(
      LIST,
      'race.example',
      one.id,
    );

    // Assess
    expect(holds).toEqual({ added: true, holders: [one.id, two.id].sort() });
  });
});
