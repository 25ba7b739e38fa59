import type { IncomingMessage } from 'node:http';
import { refusalOf } from '../../../../../infra/local/http/request-guard.js';

const OWN = { host: '127.0.0.1', port: 3000 };
const request = (method: string, headers: Record<string, string>) =>
  ({ method, headers }) as unknown as IncomingMessage;

describe('the guard of state-changing requests', () => {
  it('refuses a cross-site text/plain POST from a web page the operator visits', () => {
    const refusal = refusalOf(
      request('POST', {
        host: '127.0.0.1:3000',
        origin: 'https://evil.example',
        'content-type': 'text/plain',
        'sec-fetch-site': 'cross-site',
      }),
      OWN,
    );

    expect(refusal).toMatch(/cross-site|Origin/);
  });

  it('refuses a foreign Origin even without Sec-Fetch-Site, and the opaque origin null', () => {
    expect(
      refusalOf(request('POST', { host: '127.0.0.1:3000', origin: 'http://evil.example' }), OWN),
    ).toMatch(/Origin/);
    expect(refusalOf(request('POST', { host: '127.0.0.1:3000', origin: 'null' }), OWN)).toMatch(
      /Origin/,
    );
  });

  it.each(['rebind.evil.example:3000', '127.0.0.1:3001', 'localhost.evil.example:3000', ''])(
    'refuses the Host %j (DNS rebinding, another port)',
    (host) => {
      expect(refusalOf(request('POST', { host }), OWN)).toMatch(/Host/);
    },
  );

  it('lets through the page itself, curl and SDKs (no Origin), and any read', () => {
    const page = request('POST', {
      host: '127.0.0.1:3000',
      origin: 'http://127.0.0.1:3000',
      'sec-fetch-site': 'same-origin',
    });
    const viaLocalhost = request('POST', {
      host: 'localhost:3000',
      origin: 'http://localhost:3000',
    });
    const curl = request('POST', { host: '127.0.0.1:3000' });
    const read = request('GET', {
      host: 'rebind.evil.example:3000',
      origin: 'https://evil.example',
    });

    expect([page, viaLocalhost, curl, read].map((r) => refusalOf(r, OWN))).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('on a network address (ALLOW_REMOTE) takes IP literals but not other names', () => {
    const own = { host: '0.0.0.0', port: 3000 };

    expect(refusalOf(request('POST', { host: '192.168.1.20:3000' }), own)).toBeUndefined();
    expect(refusalOf(request('POST', { host: 'rebind.evil.example:3000' }), own)).toMatch(/Host/);
  });
});
