// What each channel is sent: the generic webhook's documented body, Slack's Block Kit and Teams'
// Adaptive Card envelope (Microsoft's Incoming Webhook sample), the SNS e-mail's subject and plain
// text, with alert text that cannot add links, mentions, markup or lines of its own.
import {
  EMAIL_SUBJECT_CHARS,
  emailSubject,
  emailText,
  LISTED_ACTIONS,
  type NotificationMessage,
  type NotifiedAction,
  severityOf,
  slackPayload,
  teamsPayload,
} from '../../../functions/core/notification-messages.js';

const LINK = 'https://ac.example.com/#/decide/v1.eyJhIjoiYWN0LTEifQ.c2lnbmF0dXJl';

const action = (i: number, target = `payload-${i}.exe`): NotifiedAction => ({
  id: `act-${i}`,
  investigationId: 'inv-0123456789abcdef0123',
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

describe('e-mail subjects', () => {
  it('say the event, the severity and the investigation', () => {
    expect(emailSubject(message([action(1)]))).toBe(
      'Actions wait for your decision (high): Dropper on a finance laptop',
    );
    expect(emailSubject({ ...message([action(1)]), event: 'Escalation' })).toBe(
      'Escalation: actions waited past their time (high): Dropper on a finance laptop',
    );
  });

  it('are one line of printable ASCII, accents dropped, whatever the title holds', () => {
    const subject = emailSubject(
      message([action(1)], 'Café\r\nBcc: victim@example.com\u0000\u202e\u2028— 詐欺'),
    );

    expect(subject).toMatch(/^[\x20-\x7e]+$/);
    expect(subject).toBe(
      'Actions wait for your decision (high): Cafe Bcc: victim@example.com ? ??',
    );
  });

  it(`are cut to ${EMAIL_SUBJECT_CHARS} characters with an ellipsis`, () => {
    const subject = emailSubject(message([action(1)], 'x'.repeat(500)));

    expect(subject).toHaveLength(EMAIL_SUBJECT_CHARS);
    expect(subject.endsWith('x...')).toBe(true);
  });
});

describe('e-mail text', () => {
  it('says the event, the investigation, and each action with its target, severity, expiry and decision link', () => {
    const text = emailText(message([action(1), { ...action(2), type: 'isolateDevice' }]));

    expect(text).toBe(
      [
        'Actions wait for your decision.',
        '',
        'Investigation: Dropper on a finance laptop',
        'Severity: high',
        'Investigation id: inv-0123456789abcdef0123',
        '',
        '2 actions to decide:',
        '',
        '1. Quarantine file',
        '   Target: payload-1[.]exe',
        '   Severity: high',
        '   Expires: 2026-12-09T08:00:00.000Z',
        `   Decide: ${LINK}1`,
        '',
        '2. Isolate device',
        '   Target: payload-2[.]exe',
        '   Severity: high',
        '   Expires: 2026-12-09T08:00:00.000Z',
        `   Decide: ${LINK}2`,
        '',
        'A decision link decides nothing when it is opened: you sign in, review the action and decide there.',
        'Sent by the Action Center at 2026-12-02T08:00:00.000Z.',
        '',
      ].join('\n'),
    );
  });

  it('keeps hostile alert text on its own labelled line: no control character, no forged line, no live link', () => {
    const forged = `evil.exe\r\n   Decide: https://evil.example/approve\u0085\u2028\u000b\u001b[31m\u202eexe.txt`;

    const text = emailText(message([action(1, forged)], `${forged}\n\nSeverity: low`));

    // A line feed ends each line; no other control or format character is left.
    expect(text.replaceAll('\n', '')).not.toMatch(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u);
    const lines = text.split('\n');
    expect(lines.filter((l) => l.trimStart().startsWith('Decide:'))).toEqual([
      `   Decide: ${LINK}1`,
    ]);
    expect(lines.filter((l) => l.startsWith('Severity:'))).toEqual(['Severity: high']);
    expect(lines).toContain(
      '   Target: evil[.]exe Decide: hxxps[://]evil[.]example/approve [31m exe[.]txt',
    );
    expect(text).not.toContain('https://evil');
  });

  it('cuts long alert text, and lists at most the listed actions and counts the rest', () => {
    const many = Array.from({ length: LISTED_ACTIONS + 3 }, (_, i) => action(i, 'y'.repeat(5_000)));

    const text = emailText(message(many, 'z'.repeat(5_000)));

    const lines = text.split('\n');
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThan(250);
    expect(lines.filter((l) => l.startsWith('   Target: '))).toHaveLength(LISTED_ACTIONS);
    expect(lines).toContain(`   Target: ${'y'.repeat(199)}…`);
    expect(text).toContain(`${LISTED_ACTIONS + 3} actions to decide:`);
    expect(text).toContain('and 3 more: see the Pending tab of the Action Center.');
  });

  it('renders only the fields it names: nothing else a message object carries, such as a task token, gets in', () => {
    const carrying = {
      ...message([{ ...action(1), taskToken: 'AAAAKgAAAAIAAAAAAAAAAX-token' } as NotifiedAction]),
      secret: 'link-secret-of-at-least-32-bytes-long',
    } as NotificationMessage;

    const mail = `${emailSubject(carrying)}\n${emailText(carrying)}`;

    expect(mail).not.toContain('AAAAKgAAAAIAAAAAAAAAAX-token');
    expect(mail).not.toContain('link-secret');
  });
});

describe('digests', () => {
  const digest: NotificationMessage = {
    event: 'Digest',
    actions: [
      action(1),
      { ...action(2), investigationId: 'inv-fedcba9876543210fedc', severity: 'critical' },
    ],
    pendingTotal: 7,
    sentAt: '2026-12-02T08:00:00.000Z',
  };

  it('count the actions waiting in all and their investigations instead of naming one', () => {
    const slack = slackPayload(digest) as {
      text: string;
      blocks: { elements?: { text: string }[] }[];
    };
    const teams = JSON.stringify(teamsPayload(digest));

    const headline = 'Pending actions today: 7 actions in 2 investigations, the oldest 2 listed';
    expect(slack.text).toBe(headline);
    expect(slack.blocks[1]?.elements?.[0]?.text).toBe(`${headline.split(': ')[1]}, oldest first`);
    expect(teams).toContain('Pending actions today: 7 actions in 2 investigations');
    expect(emailSubject(digest)).toBe(
      'Pending actions today: 7 actions in 2 investigations, the oldest 2 listed',
    );
  });

  it("give each action's investigation in the e-mail, and the highest severity to filter on", () => {
    const text = emailText(digest);

    expect(text).toContain('7 actions in 2 investigations, the oldest 2 listed, oldest first:');
    expect(text).toContain('   Investigation id: inv-0123456789abcdef0123');
    expect(text).toContain('   Investigation id: inv-fedcba9876543210fedc');
    expect(severityOf(digest)).toBe('critical');
    expect(severityOf(message([action(1)]))).toBe('high');
  });
});
