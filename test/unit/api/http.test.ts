import type { Logger } from '@aws-lambda-powertools/logger';
import { errorResponse } from '../../../functions/api/http/errors.js';
import { callerFromClaims, parseInput } from '../../../functions/api/http/request.js';
import { ActionListQuery, BulkDecisionBody, DecisionBody } from '../../../functions/api/schemas.js';
import {
  ConflictError,
  ExpiredError,
  ForbiddenError,
  NotFoundError,
  PayloadTooLargeError,
  UnauthorizedError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '../../../functions/core/errors.js';
import { makeAction } from '../../fixtures/actions.js';

const logged: { level: string; message: string; extra: unknown }[] = [];
const log = {
  info: (message: string, extra: unknown) => logged.push({ level: 'info', message, extra }),
  error: (message: string, extra: unknown) => logged.push({ level: 'error', message, extra }),
} as unknown as Logger;

const bodyOf = (error: unknown) => {
  const res = errorResponse(error, 'req-1', log);
  return { status: res.statusCode, body: JSON.parse(res.body) };
};

describe('errorResponse', () => {
  it.each([
    [new ValidationError('bad', { fields: { limit: 'too big' } }), 400, 'ValidationFailed'],
    [new UnauthorizedError('who'), 401, 'Unauthorized'],
    [new ForbiddenError('no'), 403, 'Forbidden'],
    [new NotFoundError('gone'), 404, 'NotFound'],
    [new ConflictError('busy'), 409, 'Conflict'],
    [new ExpiredError('late'), 410, 'Expired'],
    [new PayloadTooLargeError('big'), 413, 'PayloadTooLarge'],
    [new UnsupportedMediaTypeError('xml'), 415, 'UnsupportedMediaType'],
  ])('maps %s to %i', (error, status, code) => {
    const res = bodyOf(error);

    expect(res.status).toBe(status);
    expect(res.body.error).toMatchObject({ code, message: error.message });
  });

  it('names the fields of a validation error in its details', () => {
    expect(bodyOf(new ValidationError('bad', { fields: { limit: 'too big' } })).body).toEqual({
      error: {
        code: 'ValidationFailed',
        message: 'bad',
        details: { fields: { limit: 'too big' } },
      },
    });
  });

  it('carries the current action on 409 and 410', () => {
    const action = makeAction({ status: 'Approved' });

    expect(bodyOf(new ConflictError('busy', action)).body.action).toEqual(action);
    expect(bodyOf(new ExpiredError('late', action)).body.action).toEqual(action);
  });

  it('answers anything else with a generic 500 and logs the detail with the request id', () => {
    const sdkError = Object.assign(
      new Error('User: arn:aws:sts::1:assumed-role is not authorized'),
      {
        name: 'AccessDeniedException',
      },
    );

    const res = bodyOf(sdkError);

    expect(res.status).toBe(500);
    expect(res.body).toEqual({
      error: { code: 'InternalError', message: 'Internal error', details: { requestId: 'req-1' } },
    });
    expect(JSON.stringify(res.body)).not.toMatch(/arn:aws|AccessDenied|stack/);
    expect(logged.at(-1)).toMatchObject({
      level: 'error',
      extra: { requestId: 'req-1', error: { name: 'AccessDeniedException' } },
    });
  });
});

describe('callerFromClaims', () => {
  it('reads the decider from email, then name, then sub, and the roles from cognito:groups', () => {
    expect(
      callerFromClaims({ sub: 's', email: 'a@x', 'cognito:groups': 'GlobalAdmin,Nope' }),
    ).toEqual({
      user: 'a@x',
      roles: ['GlobalAdmin'],
    });
    expect(
      callerFromClaims({ sub: 's', name: 'Ana', 'cognito:groups': ['SecurityReader'] }),
    ).toEqual({
      user: 'Ana',
      roles: ['SecurityReader'],
    });
    expect(
      callerFromClaims({ sub: 's', 'cognito:groups': '[SecurityAdmin, SearchAndPurge]' }),
    ).toEqual({
      user: 's',
      roles: ['SecurityAdmin', 'SearchAndPurge'],
    });
  });

  it.each([undefined, null, 'claims', {}, { email: '' }])('refuses %j with a 401', (claims) => {
    expect(() => callerFromClaims(claims)).toThrow(UnauthorizedError);
  });
});

describe('request schemas', () => {
  const fieldsOf = (fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      return (error as ValidationError).details;
    }
    throw new Error('expected a validation error');
  };

  it('defaults the list query: pending tab, 7d window, 50 items', () => {
    expect(parseInput(ActionListQuery, {}, 'query')).toEqual({
      tab: 'pending',
      window: '7d',
      limit: 50,
    });
    expect(parseInput(ActionListQuery, { limit: '200' }, 'query').limit).toBe(200);
  });

  it.each(['0', '201', '1.5', '-3', 'abc', '1e2'])('refuses limit %j', (limit) => {
    expect(fieldsOf(() => parseInput(ActionListQuery, { limit }, 'query'))).toEqual({
      fields: { limit: expect.any(String) },
    });
  });

  it('names unknown fields, and the root for a body that is not an object', () => {
    expect(fieldsOf(() => parseInput(DecisionBody, { comment: 'x', extra: 1 }, 'body'))).toEqual({
      fields: { extra: 'unknown field' },
    });
    expect(fieldsOf(() => parseInput(DecisionBody, 'text', 'body'))).toEqual({
      fields: { body: expect.any(String) },
    });
  });

  it('takes 1 to 100 well-formed ids in a bulk decision', () => {
    const id = `act-${'a'.repeat(20)}-${'b'.repeat(12)}`;

    expect(parseInput(BulkDecisionBody, { actionIds: [id], decision: 'reject' }, 'body')).toEqual({
      actionIds: [id],
      decision: 'reject',
    });
    expect(
      fieldsOf(() =>
        parseInput(
          BulkDecisionBody,
          { actionIds: Array(101).fill(id), decision: 'approve' },
          'body',
        ),
      ),
    ).toEqual({ fields: { actionIds: expect.any(String) } });
  });
});
