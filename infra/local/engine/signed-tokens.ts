// Opaque tokens the engine hands out (task tokens, paging tokens): an HMAC under the engine's key
// binds each to this engine, so a forged or edited one is told apart from one it issued.
import { createHmac, randomBytes } from 'node:crypto';
import { sameSecretText } from '../../../functions/core/constant-time.js';
import { StepFunctionsError } from './errors.js';

export class TokenKey {
  private readonly key: Buffer;

  /** `secret`: kept across restarts (DATA_DIR), so tokens issued before one still verify. */
  constructor(secret?: string) {
    this.key = secret ? Buffer.from(secret, 'utf8') : randomBytes(32);
  }

  mac(text: string): string {
    return createHmac('sha256', this.key).update(text).digest('base64url');
  }

  /** Whether `mac` is this key's MAC of `text`, compared in constant time. */
  verifies(text: string, mac: string): boolean {
    return sameSecretText(mac, this.mac(text));
  }

  /** A JSON value as an opaque, signed string. */
  seal(value: unknown): string {
    const body = Buffer.from(JSON.stringify(value)).toString('base64url');
    return `${body}.${this.mac(body)}`;
  }

  /** The value `seal` sealed; anything else is InvalidToken, as AWS answers a bad nextToken. */
  open(token: unknown): unknown {
    const invalid = () => new StepFunctionsError('InvalidToken', `Invalid Token: '${token}'`);
    if (typeof token !== 'string' || token.length > 3096) throw invalid();
    const [body, mac, ...rest] = token.split('.');
    if (!body || !mac || rest.length > 0 || !this.verifies(body, mac)) throw invalid();
    try {
      return JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    } catch {
      throw invalid();
    }
  }
}
