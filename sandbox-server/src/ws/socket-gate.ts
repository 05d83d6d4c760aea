import type { IncomingMessage } from 'node:http';

/** How many sockets one address may hold open at once, outside a workshop (a classroom's room is counted per student). */
export const MAX_SOCKETS_PER_ADDRESS = 64;
/** Sockets of one address that have not said hello yet (each must within 10 s): room for a class connecting at once. */
export const MAX_PENDING_PER_ADDRESS = 256;
/** Sockets one workshop student may hold (tabs, a reconnect racing the old socket's close). */
export const MAX_SOCKETS_PER_MEMBER = 8;

/** One socket's place at the gate: pending until hello, then counted for its address or for its student. */
export interface GateTicket {
  /**
   * At hello: count this socket as a workshop student's (by learner id) or its address's; again when the
   * learner joins a workshop (it moves to the student's count). Returns a refusal, or null.
   */
  settle(as: { member: string } | 'address'): string | null;
  /** The socket closed. */
  release(): void;
}

class Counter {
  private readonly n = new Map<string, number>();
  get(k: string): number {
    return this.n.get(k) ?? 0;
  }
  add(k: string, d: number): void {
    const v = this.get(k) + d;
    if (v <= 0) this.n.delete(k);
    else this.n.set(k, v);
  }
}

/**
 * Decides whether a WebSocket upgrade is let in: the browser's Origin must be
 * this server (or one configured), which stops other sites from driving a
 * learner's session, and one address may not hold unbounded sockets. A
 * classroom sits behind one NAT address, so sockets are counted by who they
 * turn out to be at hello: a workshop student's count against that student,
 * everyone else's against the address — which still stops one client opening
 * many identities outside a workshop.
 */
export class SocketGate {
  private readonly pending = new Counter();
  private readonly byAddress = new Counter();
  private readonly byMember = new Counter();

  constructor(private readonly allowedOrigins: string[]) {}

  /** Returns a refusal reason, or null to accept. */
  check(req: IncomingMessage): string | null {
    const origin = req.headers.origin;
    if (origin !== undefined) {
      let host: string;
      try {
        host = new URL(origin).host;
      } catch {
        return 'bad Origin';
      }
      if (host !== req.headers.host && !this.allowedOrigins.includes(origin)) return `origin ${origin} is not allowed`;
    }
    const address = addressOf(req);
    if (this.byAddress.get(address) >= MAX_SOCKETS_PER_ADDRESS) return 'too many connections from this address';
    if (this.pending.get(address) >= MAX_PENDING_PER_ADDRESS) return 'too many connections from this address that have not said hello';
    return null;
  }

  opened(req: IncomingMessage): GateTicket {
    const address = addressOf(req);
    this.pending.add(address, 1);
    let counted: { counter: Counter; key: string } | null = null;
    let pending = true;
    const unpend = (): void => {
      if (pending) this.pending.add(address, -1);
      pending = false;
    };
    return {
      settle: (as) => {
        unpend();
        const [counter, key, max] = as === 'address' ? [this.byAddress, address, MAX_SOCKETS_PER_ADDRESS] : [this.byMember, as.member, MAX_SOCKETS_PER_MEMBER];
        if (counted?.counter === counter && counted.key === key) return null;
        if (counter.get(key) >= max) return as === 'address' ? 'too many connections from this address' : 'too many connections for one student';
        counted?.counter.add(counted.key, -1);
        counter.add(key, 1);
        counted = { counter, key };
        return null;
      },
      release: () => {
        unpend();
        counted?.counter.add(counted.key, -1);
        counted = null;
      },
    };
  }
}

const addressOf = (req: IncomingMessage): string => req.socket.remoteAddress ?? '?';
