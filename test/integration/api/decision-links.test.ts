// Decision links through the API: opening one decides nothing; deciding needs a signed-in person
// the policies allow, goes through the API's own decision path, once per link; tampered, used,
// lapsed and out-of-date links are refused with the current action.
import { SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import { newLinkClaims, signLink } from '../../../functions/core/decision-links.js';
import type { Action } from '../../../functions/core/model.js';
import { linkFor } from '../../../functions/services/links.js';
import { plus, T0 } from '../../fixtures/actions.js';
import { ADMIN, ApiHarness, as, LINK_KEY, READER, SEC_ADMIN } from '../../support/api-harness.js';

let api: ApiHarness;

beforeAll(async () => {
  api = await ApiHarness.start();
});
afterAll(() => api.stop());
beforeEach(() => {
  api.now = plus(T0, 3600);
  api.resetWorkflow();
});

const SETTINGS = { key: LINK_KEY, ttlHours: 24, publicUrl: 'https://ac.example.com/' };

/** The token of a new link to `action`, as a notification carries it. */
function tokenFor(action: Action): string {
  const { url } = linkFor(SETTINGS, action, api.now);
  return url.slice(url.indexOf('#/decide/') + '#/decide/'.length);
}

async function auditOf(actionId: string) {
  const { items } = await api.stores.audit.list({ window: '180d', limit: 200 }, api.now);
  return items.filter((e) => e.actionId === actionId);
}

describe('a decision link', () => {
  it('points at the page and lapses after LINK_TTL_HOURS, or with its action if sooner', async () => {
    const action = await api.pending();

    const link = linkFor(SETTINGS, action, api.now);
    const soon = linkFor(
      SETTINGS,
      { ...action, expiresAt: plus(api.now, 600).toISOString() },
      api.now,
    );

    expect(link.url).toMatch(/^https:\/\/ac\.example\.com\/#\/decide\/v1\.[\w-]+\.[\w-]+$/);
    expect(link.expiresAt).toBe(plus(api.now, 24 * 3600).toISOString());
    expect(soon.expiresAt).toBe(plus(api.now, 600).toISOString());
  });
});

describe('GET /links/{token}', () => {
  it('answers the action and what the caller may decide, and decides nothing', async () => {
    const action = await api.pending();
    const token = tokenFor(action);

    const admin = await api.get(`/links/${token}`, { claims: ADMIN });
    const reader = await api.get(`/links/${token}`, { claims: READER });

    expect(admin.status).toBe(200);
    expect(admin.body).toMatchObject({
      action: { id: action.id, status: 'Pending' },
      expiresAt: plus(api.now, 24 * 3600).toISOString(),
      decisions: ['approve', 'reject'],
    });
    expect(reader.status).toBe(200);
    expect(reader.body.decisions).toEqual([]);
    expect((await api.stores.actions.get(action.id))?.status).toBe('Pending');
    expect(api.resumes()).toHaveLength(0);
  });

  it('answers 401 without a signed-in person', async () => {
    const action = await api.pending();

    const res = await api.get(`/links/${tokenFor(action)}`, { claims: null });

    expect(res.status).toBe(401);
  });

  it('answers 403 to a signed-in person with no Action Center role, showing nothing of the action', async () => {
    const action = await api.pending();
    const token = tokenFor(action);
    const nobody = as('nobody@example.com');

    const opened = await api.get(`/links/${token}`, { claims: nobody });
    const decided = await api.post(`/links/${token}`, {
      claims: nobody,
      body: { decision: 'approve' },
    });

    expect([opened.status, decided.status]).toEqual([403, 403]);
    expect(opened.text).not.toContain(action.id);
    expect((await api.stores.actions.get(action.id))?.status).toBe('Pending');
  });

  it('answers 400 to a token altered anywhere, or signed with another key', async () => {
    const action = await api.pending();
    const token = tokenFor(action);
    const [version, payload, mac] = token.split('.') as [string, string, string];
    const otherAction = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), a: 'x' }),
    ).toString('base64url');
    const flipped = `${mac.slice(0, -2)}${mac.endsWith('AA') ? 'AB' : 'AA'}`;
    const foreign = signLink(
      newLinkClaims(action, api.now, 24),
      'another-key-0123456789abcdef01234567',
    );

    for (const bad of [
      `${version}.${otherAction}.${mac}`,
      `${version}.${payload}.${flipped}`,
      `v2.${payload}.${mac}`,
      foreign,
      'not-a-link',
    ]) {
      const res = await api.get(`/links/${bad}`, { claims: ADMIN });
      expect([bad, res.status]).toEqual([bad, 400]);
    }
  });

  it('answers 410 once the link lapsed', async () => {
    const action = await api.pending();
    const token = tokenFor(action);
    api.now = plus(api.now, 24 * 3600);

    const res = await api.get(`/links/${token}`, { claims: ADMIN });

    expect(res.status).toBe(410);
  });
});

describe('POST /links/{token}', () => {
  it('approves as the API does, wakes the investigation, and audits the decision as made through a link', async () => {
    const action = await api.pending();

    const res = await api.post(`/links/${tokenFor(action)}`, {
      claims: ADMIN,
      body: { decision: 'approve', comment: 'from the e-mail' },
    });

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: action.id,
      status: 'Approved',
      decision: { by: 'admin@example.com', comment: 'from the e-mail' },
    });
    expect(api.resumes()).toHaveLength(1);
    expect(await auditOf(action.id)).toEqual([
      expect.objectContaining({ event: 'ActionApproved', actor: 'admin@example.com', via: 'link' }),
    ]);
    // `via` is hashed with the rest of the entry, and read back as written.
    const verdict = await api.get('/audit/verify', { claims: ADMIN, query: { full: 'true' } });
    expect(verdict.body).toMatchObject({ ok: true });
  });

  it('decides once: the link used, a second decision through it is a 409 with the current action', async () => {
    const action = await api.pending();
    const token = tokenFor(action);

    await api.post(`/links/${token}`, { claims: ADMIN, body: { decision: 'reject' } });
    const again = await api.post(`/links/${token}`, {
      claims: SEC_ADMIN,
      body: { decision: 'approve' },
    });
    const opened = await api.get(`/links/${token}`, { claims: ADMIN });

    expect(again.status).toBe(409);
    expect(again.body.action).toMatchObject({ id: action.id, status: 'Rejected' });
    expect(opened.status).toBe(409);
  });

  it('lets one of two people deciding through the same link at once decide', async () => {
    const action = await api.pending();
    const token = tokenFor(action);

    const answers = await Promise.all([
      api.post(`/links/${token}`, { claims: ADMIN, body: { decision: 'approve' } }),
      api.post(`/links/${token}`, { claims: SEC_ADMIN, body: { decision: 'reject' } }),
    ]);

    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    expect((await auditOf(action.id)).filter((e) => e.via === 'link')).toHaveLength(1);
  });

  it('refuses a person the policies do not allow (403, audited) and leaves the link to someone who may', async () => {
    const action = await api.pendingEmail();
    const token = tokenFor(action);

    const reader = await api.post(`/links/${token}`, {
      claims: READER,
      body: { decision: 'approve' },
    });
    // A SecurityAdmin without SearchAndPurge may decide endpoint actions, not this e-mail one.
    const refused = await api.post(`/links/${token}`, {
      claims: SEC_ADMIN,
      body: { decision: 'approve' },
    });
    const allowed = await api.post(`/links/${token}`, {
      claims: ADMIN,
      body: { decision: 'approve' },
    });

    expect([reader.status, refused.status, allowed.status]).toEqual([403, 403, 200]);
    // Newest first.
    expect((await auditOf(action.id)).map((e) => [e.event, e.actor, e.via])).toEqual([
      ['ActionApproved', 'admin@example.com', 'link'],
      ['DecisionRefused', 'secadmin@example.com', 'link'],
    ]);
  });

  it('answers 409 with the current action when it was decided elsewhere since the link was sent', async () => {
    const action = await api.pending();
    const token = tokenFor(action);
    await api.post(`/actions/${action.id}/reject`, { claims: SEC_ADMIN });

    const res = await api.post(`/links/${token}`, { claims: ADMIN, body: { decision: 'approve' } });

    expect(res.status).toBe(409);
    expect(res.body.action).toMatchObject({ status: 'Rejected' });
  });

  it('answers 409 when what the action would do is not what the link was made for', async () => {
    const action = await api.pending();
    // A link made for the same action id with another target (what was sent is not what is stored).
    const claims = newLinkClaims(
      { ...action, target: { ...action.target, displayName: 'C:\\other.exe' } },
      api.now,
      24,
    );

    const res = await api.post(`/links/${signLink(claims, LINK_KEY)}`, {
      claims: ADMIN,
      body: { decision: 'approve' },
    });

    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/changed since the link was sent/);
    expect((await api.stores.actions.get(action.id))?.status).toBe('Pending');
  });

  it('answers 410 for an action that lapsed, and changes nothing', async () => {
    const action = await api.pending({ createdAt: plus(T0, -604_800 + 1800).toISOString() });
    const token = signLink(
      { ...newLinkClaims(action, api.now, 24), expiresAt: plus(api.now, 60).toISOString() },
      LINK_KEY,
    );

    const res = await api.post(`/links/${token}`, { claims: ADMIN, body: { decision: 'approve' } });

    expect(res.status).toBe(410);
    expect(api.sfn.commandCalls(SendTaskSuccessCommand)).toHaveLength(0);
  });

  it('answers 400 to a body without a decision', async () => {
    const action = await api.pending();

    const res = await api.post(`/links/${tokenFor(action)}`, { claims: ADMIN, body: {} });

    expect(res.status).toBe(400);
  });
});
