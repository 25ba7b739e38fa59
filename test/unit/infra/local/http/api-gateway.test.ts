// The API Gateway stand-in's proxy event: query strings and headers whose names are also the
// names of Object's own methods are plain names (the fuzzer found `?valueOf=` answered 500).
import type { IncomingMessage } from 'node:http';
import { proxyEvent } from '../../../../../infra/local/http/api-gateway.js';

function eventFor(search: string, rawHeaders: string[] = []) {
  return proxyEvent({
    request: { rawHeaders, method: 'GET', socket: {} } as unknown as IncomingMessage,
    url: new URL(`http://127.0.0.1:3000/api/me${search}`),
    path: '/me',
    resource: '/me',
    pathParameters: null,
    body: null,
    claims: undefined,
  });
}

describe('the API Gateway stand-in', () => {
  it('takes query names such as valueOf, constructor and __proto__ as plain names', () => {
    const event = eventFor('?valueOf=&constructor=1&__proto__=x&tab=a&tab=b');

    expect(event.queryStringParameters).toEqual({
      valueOf: '',
      constructor: '1',
      ['__proto__']: 'x',
      tab: 'b',
    });
    expect(event.multiValueQueryStringParameters?.tab).toEqual(['a', 'b']);
    expect(event.multiValueQueryStringParameters?.valueOf).toEqual(['']);
    expect(Object.getPrototypeOf(event.queryStringParameters)).toBe(Object.prototype);
  });

  it('takes header names such as constructor as plain names', () => {
    const event = eventFor('', ['constructor', 'x', 'Accept', 'a', 'Accept', 'b']);

    expect(event.multiValueHeaders).toEqual({ constructor: ['x'], Accept: ['a', 'b'] });
    expect(event.headers).toMatchObject({ constructor: 'x', Accept: 'b' });
  });
});
