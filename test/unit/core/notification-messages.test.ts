// What each channel is sent: the generic webhook's documented body, Slack's Block Kit and Teams'
// Adaptive Card envelope (Microsoft's Incoming Webhook sample), with alert text that cannot add
// links, mentions or markup of its own.
import {
  LISTED_ACTIONS,
  type NotificationMessage,
  type NotifiedAction,
  slackPayload,
  teamsPayload,
} from '../../../functions/core/notification-messages.js';

const LINK = 'https://ac.example.com/#/decide/v1.eyJhIjoiYWN0LTEifQ.c2lnbmF0dXJl';

const action = (i: number, target = `payload-${i}.exe`): NotifiedAction => ({
  id: `act-${i}`,
  type: 'quarantineFile',
  target,
  severity: 'high',
  expiresAt: '2026-12-09T08:00:00.000Z',
  link: `${LINK}${i}`,
});

const message = (
  actions: NotifiedAction[],
  title = 'Dropper on a finance laptop',
): NotificationMessage => ({
  event: 'ActionsPending',
  investigation: { id: 'inv-0123456789abcdef0123', title, severity: 'high' },
  actions,
  sentAt: '2026-12-02T08:00:00.000Z',
});

const HOSTILE =
  '<https://evil.example|Click to approve> <!channel> [approve](https://evil.example) **now**';

describe('Slack messages', () => {
  it('have a header, one section per action with a Review button to its decision link', () => {
    const payload = slackPayload(message([action(1), action(2)])) as {
      text: string;
      blocks: { type: string; accessory?: { url: string }; text?: { text: string } }[];
    };

    expect(payload.text).toBe('Actions wait for your decision: Dropper on a finance laptop');
    expect(payload.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: payload.text },
    });
    const sections = payload.blocks.filter((b) => b.type === 'section');
    expect(sections.map((s) => s.accessory?.url)).toEqual([`${LINK}1`, `${LINK}2`]);
    expect(sections[0]?.text?.text).toContain('*Quarantine file* on payload-1.exe');
  });

  it('escape alert text where Slack reads markup, so it adds no link or mention', () => {
    const payload = slackPayload(message([action(1, HOSTILE)], HOSTILE));
    // mrkdwn texts (and the top-level text) are parsed: `<...>` makes links and mentions.
    // plain_text (the header) is shown as it is.
    const parsed: string[] = [];
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) {
        for (const n of node) walk(n);
      } else if (node && typeof node === 'object') {
        const o = node as Record<string, unknown>;
        if (o.type === 'mrkdwn' && typeof o.text === 'string') parsed.push(o.text);
        for (const v of Object.values(o)) walk(v);
      }
    };
    walk(payload);
    parsed.push((payload as { text: string }).text);

    expect(parsed.join('\n')).toContain('&lt;!channel&gt;');
    for (const text of parsed) expect(text).not.toMatch(/[<>]/);
  });

  it(`list ${LISTED_ACTIONS} actions and count the rest`, () => {
    const many = Array.from({ length: LISTED_ACTIONS + 3 }, (_, i) => action(i));

    const payload = slackPayload(message(many)) as { blocks: { type: string }[] };

    expect(payload.blocks.filter((b) => b.type === 'section')).toHaveLength(LISTED_ACTIONS);
    expect(JSON.stringify(payload.blocks.at(-1))).toContain('and 3 more');
  });
});

describe('Teams messages', () => {
  it("are an Adaptive Card in the Incoming Webhook's message envelope, with a Review action per link", () => {
    const payload = teamsPayload(message([action(1)])) as {
      type: string;
      attachments: { contentType: string; contentUrl: null; content: Record<string, unknown> }[];
    };

    expect(payload.type).toBe('message');
    expect(payload.attachments).toHaveLength(1);
    expect(payload.attachments[0]).toMatchObject({
      contentType: 'application/vnd.microsoft.card.adaptive',
      contentUrl: null,
      content: {
        $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
        type: 'AdaptiveCard',
        version: '1.4',
        actions: [{ type: 'Action.OpenUrl', url: `${LINK}1` }],
      },
    });
  });

  it('escape alert text, so its markdown makes no link or emphasis', () => {
    const text = JSON.stringify(teamsPayload(message([action(1, HOSTILE)], HOSTILE)));

    expect(text).not.toContain('[approve](https://evil');
    expect(text).toContain('\\\\[approve\\\\]\\\\(https://evil');
    expect(text).not.toMatch(/[^\\]\*\*now/);
  });
});
