import { KeyedRateLimit } from './keyed-rate-limit.js';

/** A budget per address: `burst` at once, then `perMinute`. */
export interface Budget {
  burst: number;
  perMinute: number;
}

/**
 * What identities cost, per address: new learners (a hello without a known
 * token), new workshop members (a join under a new name), and join codes that
 * name no workshop. Each budget lets a whole class behind one NAT arrive at
 * once; beyond it, one client making identities or guessing codes gets a few
 * a minute.
 */
export interface IdentityBudgets {
  newLearners: Budget;
  newMembers: Budget;
  failedJoins: Budget;
}

export const DEFAULT_IDENTITY_BUDGETS: IdentityBudgets = {
  // A class of 30 with a tab or two each, on first visit.
  newLearners: { burst: 64, perMinute: 30 },
  // Every student of a full room joining within a minute.
  newMembers: { burst: 64, perMinute: 10 },
  // Mistyped codes in a room; a guesser gets 10 a minute, a handful of the 887 million codes a day.
  failedJoins: { burst: 20, perMinute: 10 },
};

export class IdentityLimits {
  private readonly learners: KeyedRateLimit;
  private readonly members: KeyedRateLimit;
  private readonly failures: KeyedRateLimit;

  constructor(budgets: Partial<IdentityBudgets> = {}, now: () => number = () => Date.now()) {
    const b = { ...DEFAULT_IDENTITY_BUDGETS, ...budgets };
    const limit = (x: Budget): KeyedRateLimit => new KeyedRateLimit(x.perMinute / 60, x.burst, now);
    this.learners = limit(b.newLearners);
    this.members = limit(b.newMembers);
    this.failures = limit(b.failedJoins);
  }

  /** Null if this address may make a new learner now; otherwise why not. */
  newLearner(address: string): string | null {
    return this.learners.take(address) ? null : `too many new learners from your network address: try again in ${this.learners.waitSeconds(address)} s`;
  }

  /** Null if this address may add a new member to a workshop now; otherwise why not. */
  newMember(address: string): string | null {
    return this.members.take(address) ? null : `too many new students joining from your network address: try again in ${this.members.waitSeconds(address)} s`;
  }

  /** Null if this address may try a join code; otherwise why not (only codes that named no workshop are charged). */
  mayTryCode(address: string): string | null {
    const wait = this.failures.waitSeconds(address);
    return wait > 0 ? `too many wrong join codes from your network address: try again in ${wait} s` : null;
  }

  /** A join code from this address named no workshop. */
  codeFailed(address: string): void {
    this.failures.take(address);
  }
}
