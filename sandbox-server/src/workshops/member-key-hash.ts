import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

const CURRENT = 'hmac1:';

/**
 * A member key at rest: HMAC-SHA256 under the server's secret, so a copy of
 * the database alone cannot be searched offline for the ~49-bit keys (a bare
 * SHA-256 of one falls to a GPU in hours). Keys stored by older servers (bare
 * SHA-256 hex) still match, and are rewritten in the new form when they do.
 */
export class MemberKeyHash {
  constructor(private readonly secret: Buffer) {}

  hash(key: string): string {
    return CURRENT + createHmac('sha256', this.secret).update(`member-key|${key}`).digest('hex');
  }

  matches(key: string, stored: string): boolean {
    const expected = this.isCurrent(stored) ? this.hash(key) : createHash('sha256').update(key).digest('hex');
    const a = Buffer.from(expected);
    const b = Buffer.from(stored);
    return a.byteLength === b.byteLength && timingSafeEqual(a, b);
  }

  isCurrent(stored: string): boolean {
    return stored.startsWith(CURRENT);
  }
}
