import type { IncomingMessage } from 'node:http';
import type { DoorClaim } from './door-pass.js';

/** How many sockets one address may hold open at once, outside a workshop (a classroom's room is counted per student). */
export const MAX_SOCKETS_PER_ADDRESS = 64;
/** Sockets of one address that have not said hello yet (each must within 10 s): room for a class connecting at once. */
export const MAX_PENDING_PER_ADDRESS = 256;
/** Sockets one workshop student may hold (tabs, a reconnect racing the old socket's close). */
export const MAX_SOCKETS_PER_MEMBER = 8;
/** Sockets all instructors together may hold (dashboards, drop-ins, a projector). */
export const MAX_INSTRUCTOR_SOCKETS = 32;
/**
 * At a full address, a socket that has sent nothing for this long gives its place to a newcomer: a live tab
 * sends a heartbeat far more often, so only a socket doing nothing is ever pushed out.
 */
export const EVICT_AFTER_IDLE_MS = 20_000;

/** What a socket is counted as once it has said hello. */
export type Settlement = { member: string } | 'instructor' | 'address';

/** One socket's place at the gate: counted for its pass from the upgrade, or pending until hello, then settled. */
export interface GateTicket {
  /**
   * At hello: count this socket as a workshop student's (by learner id), an instructor's, or its address's;
   * again when the learner joins a workshop (it moves to the student's count). Returns a refusal, or null.
   */
  settle(as: Settlement): string | null;
  /** The socket sent something: it is not idle. */
  active(): void;
  /** The socket closed. */
  release(): void;
}

class Counter {
  private readonly n = new Map<string, number>();
  constructor(readonly max: number) {}
  get(k: string): number {
    return this.n.get(k) ?? 0;
  }
  full(k: string): boolean {
    return this.get(k) >= this.max;
  }
  add(k: string, d: number): void {
    const v = this.get(k) + d;
    if (v <= 0) this.n.delete(k);
    else this.n.set(k, v);
  }
}

interface Place {
  counter: Counter;
  key: string;
}

interface AddressSocket {
  lastActive: number;
  evict(): void;
}

/**
 * Decides whether a WebSocket upgrade is let in: the browser's Origin must be
 * this server (or one configured), which stops other sites from driving a
 * learner's session, and nobody may hold unbounded sockets. A classroom sits
 * behind one NAT address, so sockets are counted by who they are: a socket
 * with a member's door pass against that member from the upgrade on, an
 * instructor's against the instructors, every other one against its address
 * (pending until hello, then settled). One client filling its address's
 * quota therefore never keeps a member or the instructor out, and a socket of
 * that quota that does nothing gives its place to the next newcomer.
 */
export class SocketGate {
  private readonly pending = new Counter(MAX_PENDING_PER_ADDRESS);
  private readonly byAddress = new Counter(MAX_SOCKETS_PER_ADDRESS);
  private readonly byMember = new Counter(MAX_SOCKETS_PER_MEMBER);
  private readonly instructors = new Counter(MAX_INSTRUCTOR_SOCKETS);
  /** The settled sockets of each address, for finding an idle one to push out. */
  private readonly addressSockets = new Map<string, Set<AddressSocket>>();

  constructor(
    private readonly allowedOrigins: string[],
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** Returns a refusal reason, or null to accept. */
  check(req: IncomingMessage, claim: DoorClaim = null): string | null {
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
    if (claim === 'instructor') return this.instructors.full('instructor') ? 'too many instructor connections' : null;
    if (claim) return this.byMember.full(claim.member) ? 'too many connections for one student' : null;
    const address = addressOf(req);
    if (this.pending.full(address)) return 'too many connections from this address that have not said hello';
    if (!this.makeRoom(address)) return 'too many connections from this address';
    return null;
  }

  /** A socket let in. `evict` closes it, should it sit idle in a full address's quota. */
  opened(req: IncomingMessage, claim: DoorClaim = null, evict: () => void = () => {}): GateTicket {
    const address = addressOf(req);
    let place: Place | null = null;
    let pending = false;
    const me: AddressSocket = { lastActive: this.now(), evict: () => {} };
    const take = (p: Place): void => {
      if (pending) this.pending.add(address, -1);
      pending = false;
      if (place) this.leave(place, address, me);
      p.counter.add(p.key, 1);
      place = p;
      if (p.counter === this.byAddress) this.socketsOf(address).add(me);
    };
    me.evict = () => {
      release();
      evict();
    };
    const release = (): void => {
      if (pending) this.pending.add(address, -1);
      pending = false;
      if (place) this.leave(place, address, me);
      place = null;
    };
    if (claim === 'instructor') take({ counter: this.instructors, key: 'instructor' });
    else if (claim) take({ counter: this.byMember, key: claim.member });
    else {
      pending = true;
      this.pending.add(address, 1);
    }
    return {
      settle: (as) => {
        const p: Place = as === 'address' ? { counter: this.byAddress, key: address } : as === 'instructor' ? { counter: this.instructors, key: 'instructor' } : { counter: this.byMember, key: as.member };
        const current = place as Place | null;
        if (current?.counter === p.counter && current.key === p.key) return null;
        if (p.counter === this.byAddress ? !this.makeRoom(address) : p.counter.full(p.key)) {
          return as === 'address' ? 'too many connections from this address' : as === 'instructor' ? 'too many instructor connections' : 'too many connections for one student';
        }
        take(p);
        return null;
      },
      active: () => {
        me.lastActive = this.now();
      },
      release,
    };
  }

  /** Whether the address has a free place, pushing out its longest-idle socket if that one has done nothing for long. */
  private makeRoom(address: string): boolean {
    if (!this.byAddress.full(address)) return true;
    let idlest: AddressSocket | null = null;
    for (const s of this.addressSockets.get(address) ?? []) if (!idlest || s.lastActive < idlest.lastActive) idlest = s;
    if (!idlest || this.now() - idlest.lastActive < EVICT_AFTER_IDLE_MS) return false;
    idlest.evict();
    return !this.byAddress.full(address);
  }

  private socketsOf(address: string): Set<AddressSocket> {
    let set = this.addressSockets.get(address);
    if (!set) this.addressSockets.set(address, (set = new Set()));
    return set;
  }

  private leave(p: Place, address: string, me: AddressSocket): void {
    p.counter.add(p.key, -1);
    if (p.counter !== this.byAddress) return;
    const set = this.addressSockets.get(address);
    set?.delete(me);
    if (set?.size === 0) this.addressSockets.delete(address);
  }
}

const addressOf = (req: IncomingMessage): string => req.socket.remoteAddress ?? '?';
