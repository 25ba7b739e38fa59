// lambdaHandler: how an entry's `handler` is wired in Lambda (at cold start, from the environment)
// and elsewhere (only when called, so importing an entry needs no environment).
import { jest } from '@jest/globals';
import type { Config } from '../../functions/config.js';
import { ConfigError } from '../../functions/core/errors.js';
import { lambdaHandler } from '../../functions/wiring.js';
import { lambdaContext } from '../support/api-events.js';

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
});

describe('lambdaHandler', () => {
  it('wires nothing at import outside Lambda, and wires once on the first call', async () => {
    delete process.env.AWS_LAMBDA_FUNCTION_NAME;
    const wire = jest.fn((_config: Config) => async (event: { n: number }) => event.n * 2);

    const handler = lambdaHandler(wire);
    expect(wire).not.toHaveBeenCalled();
    const answers = [
      await handler({ n: 1 }, lambdaContext()),
      await handler({ n: 2 }, lambdaContext()),
    ];

    expect(answers).toEqual([2, 4]);
    expect(wire).toHaveBeenCalledTimes(1);
    expect(wire.mock.calls[0]?.[0]).toMatchObject({ tableName: process.env.TABLE_NAME });
  });

  it('wires at cold start in Lambda, so a missing setting fails there and not in a request', () => {
    process.env.AWS_LAMBDA_FUNCTION_NAME = 'action-center-test';
    delete process.env.TABLE_NAME;
    const wire = jest.fn((_config: Config) => async () => 'never');

    expect(() => lambdaHandler(wire)).toThrow(ConfigError);
    expect(wire).not.toHaveBeenCalled();
  });
});
