import { KeyedRateLimit } from './keyed-rate-limit.js';

/**
 * How often runs may be started, per learner and per address, across all
 * their sockets (each socket also has its own message bucket, in session.ts).
 * A run costs a compile and a VM: a learner pressing Run as fast as they can
 * gets a few in a row and then one every few seconds; a classroom behind one
 * NAT address shares a much larger budget.
 */
export const RUNS_PER_LEARNER = { burst: 10, perSecond: 1 / 3 };
export const RUNS_PER_ADDRESS = { burst: 120, perSecond: 2 };

export class RunRateLimits {
  private readonly learners = new KeyedRateLimit(RUNS_PER_LEARNER.perSecond, RUNS_PER_LEARNER.burst);
  private readonly addresses = new KeyedRateLimit(RUNS_PER_ADDRESS.perSecond, RUNS_PER_ADDRESS.burst);

  /**
   * Null if this learner, from this address, may start a run now; otherwise why not, in words. A workshop
   * student (`inRoom`) is limited as a student only: a room of forty shares one NAT address.
   */
  refuse(learnerId: string, address: string, inRoom = false): string | null {
    if (!inRoom && !this.addresses.take(address)) return `too many runs from your network address: try again in ${this.addresses.waitSeconds(address)} s`;
    if (!this.learners.take(learnerId)) return `you are starting runs faster than they can finish: try again in ${this.learners.waitSeconds(learnerId)} s`;
    return null;
  }

  /** How many learners and addresses are being tracked (bounded: idle ones are forgotten). */
  get tracked(): number {
    return this.learners.size + this.addresses.size;
  }
}
