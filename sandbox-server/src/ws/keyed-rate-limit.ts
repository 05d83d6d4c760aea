import { TokenBucket } from './rate-limit.js';

/**
 * One token bucket per key (a learner, an address), made on first use and
 * forgotten once it has been idle long enough to be full again, so a stream of
 * new keys (a fuzzer, a scan) cannot grow the map without bound.
 */
export class KeyedRateLimit {
  private readonly buckets = new Map<string, { bucket: TokenBucket; lastUsed: number }>();
  private lastSweep: number;

  constructor(
    readonly rate: number,
    readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {
    this.lastSweep = now();
  }

  take(key: string): boolean {
    const t = this.now();
    this.sweep(t);
    let entry = this.buckets.get(key);
    if (!entry) {
      entry = { bucket: new TokenBucket(this.rate, this.burst, this.now), lastUsed: t };
      this.buckets.set(key, entry);
    }
    entry.lastUsed = t;
    return entry.bucket.take();
  }

  /** Seconds until `key` may take again (0 if it may now). */
  waitSeconds(key: string): number {
    const entry = this.buckets.get(key);
    return entry ? Math.ceil(entry.bucket.secondsUntilNext()) : 0;
  }

  get size(): number {
    return this.buckets.size;
  }

  private sweep(t: number): void {
    const refillMs = (this.burst / this.rate) * 1000;
    if (t - this.lastSweep < refillMs) return;
    this.lastSweep = t;
    for (const [key, e] of this.buckets) if (t - e.lastUsed >= refillMs) this.buckets.delete(key);
  }
}
