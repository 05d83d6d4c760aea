import { createHmac, timingSafeEqual } from 'node:crypto';
import { DOOR_PASS_SUBPROTOCOL_PREFIX, DoorPass } from '@jaillab/protocol';
import type { IncomingMessage } from 'node:http';

/** Who a socket says it is at the upgrade, by its pass: a workshop member (by learner id), an instructor, or nobody. */
export type DoorClaim = { member: string } | 'instructor' | null;

const MAC_CHARS = 27; // 160 bits of HMAC-SHA256, base64url

/**
 * Door passes (protocol/src/door.ts): `m.<learnerId>.<mac>` for a member,
 * `i.<mac>` for instructors, the mac an HMAC with the server's secret. The
 * gate reads one without touching the database, so a flood of made-up passes
 * costs an HMAC each and counts as nobody.
 */
export class DoorPasses {
  constructor(private readonly secret: Buffer) {}

  forMember(learnerId: string): string {
    return `m.${learnerId}.${this.mac(`m|${learnerId}`)}`;
  }

  forInstructor(): string {
    return `i.${this.mac('i')}`;
  }

  read(pass: string): DoorClaim {
    if (!DoorPass.safeParse(pass).success) return null;
    const parts = pass.split('.');
    if (parts.length === 2 && parts[0] === 'i') return this.same(parts[1]!, this.mac('i')) ? 'instructor' : null;
    if (parts.length === 3 && parts[0] === 'm' && parts[1]) return this.same(parts[2]!, this.mac(`m|${parts[1]}`)) ? { member: parts[1] } : null;
    return null;
  }

  /** The claim of an upgrade request: the pass among its offered subprotocols, if any. */
  claimOf(req: IncomingMessage): DoorClaim {
    const offered = req.headers['sec-websocket-protocol'];
    if (typeof offered !== 'string') return null;
    const pass = offered
      .split(',')
      .map((p) => p.trim())
      .find((p) => p.startsWith(DOOR_PASS_SUBPROTOCOL_PREFIX));
    return pass ? this.read(pass.slice(DOOR_PASS_SUBPROTOCOL_PREFIX.length)) : null;
  }

  private mac(what: string): string {
    return createHmac('sha256', this.secret).update(`door-pass|${what}`).digest('base64url').slice(0, MAC_CHARS);
  }

  private same(given: string, expected: string): boolean {
    const a = Buffer.from(given);
    const b = Buffer.from(expected);
    return a.byteLength === b.byteLength && timingSafeEqual(a, b);
  }
}
