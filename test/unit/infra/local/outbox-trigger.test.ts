// The local stand-in for the table's stream: which writes start the appender, one run at a time,
// and the batching window that lets a burst of owed writes share one run.
import { OUTBOX } from '../../../../functions/adapters/dynamodb/keys.js';
import { outboxTrigger, owesAudit } from '../../../../infra/local/outbox-trigger.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** An appender that counts its runs and takes `ms` each. */
function counted(ms = 0) {
  const runs = { count: 0 };
  const append = async () => {
    await sleep(ms);
    runs.count += 1;
  };
  return { runs, append };
}

describe('owesAudit', () => {
  const owing = Buffer.from(JSON.stringify({ Item: { outboxPk: { S: OUTBOX } } }));

  it('is true for a write that sets the outbox key, false for a read of it or a write without it', () => {
    expect(owesAudit('DynamoDB_20120810.UpdateItem', owing)).toBe(true);
    expect(owesAudit('DynamoDB_20120810.Query', owing)).toBe(false);
    expect(owesAudit('DynamoDB_20120810.PutItem', Buffer.from('{"Item":{}}'))).toBe(false);
  });
});

describe('outboxTrigger', () => {
  it('runs once more, not once per write, for the writes that arrive during a run', async () => {
    const { runs, append } = counted(20);
    const trigger = outboxTrigger(append);

    const first = trigger.kick();
    await Promise.all([trigger.kick(), trigger.kick(), trigger.kick(), first]);

    expect(runs.count).toBe(2);
  });

  it('without a window, runs at once: the write that kicked it finds its record appended', async () => {
    const { runs, append } = counted();

    await outboxTrigger(append).kick();

    expect(runs.count).toBe(1);
  });

  it('with a window, lets the writes of a burst share one run after the window', async () => {
    const { runs, append } = counted();
    const trigger = outboxTrigger(append, { windowMs: 50 });

    const kicks = [trigger.kick(), trigger.kick()];
    await sleep(10);
    kicks.push(trigger.kick());
    expect(runs.count).toBe(0);
    await Promise.all(kicks);

    expect(runs.count).toBe(1);
  });

  it('starts a held run at once when asked to be idle (the shutdown), and waits for it', async () => {
    const { runs, append } = counted(5);
    const trigger = outboxTrigger(append, { windowMs: 60_000 });

    void trigger.kick();
    await trigger.idle();

    expect(runs.count).toBe(1);
  });

  it('keeps going after a failed run: the next write starts another', async () => {
    let calls = 0;
    const trigger = outboxTrigger(async () => {
      calls += 1;
      if (calls === 1) throw new Error('throttled');
    });

    await trigger.kick();
    await trigger.kick();

    expect(calls).toBe(2);
  });
});
