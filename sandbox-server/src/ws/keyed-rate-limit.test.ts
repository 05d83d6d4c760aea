import { describe, expect, it } from 'vitest';
import { KeyedRateLimit } from './keyed-rate-limit.js';

describe('a rate limit per key', () => {
  it('lets each key burst, then refills at its rate, independently of other keys', () => {
    let t = 0;
    const limit = new KeyedRateLimit(1, 3, () => t);
    expect([limit.take('a'), limit.take('a'), limit.take('a'), limit.take('a')]).toEqual([true, true, true, false]);
    expect(limit.take('b')).toBe(true);
    expect(limit.waitSeconds('a')).toBe(1);
    t += 1000;
    expect(limit.take('a')).toBe(true);
    expect(limit.take('a')).toBe(false);
  });

  it('forgets idle keys, so a stream of new keys cannot grow it without bound', () => {
    let t = 0;
    const limit = new KeyedRateLimit(1, 2, () => t);
    for (let i = 0; i < 10_000; i++) {
      limit.take(`k${i}`);
      t += 1;
    }
    // At most the keys of two refill periods (2 s each, one key per ms) are held at once.
    expect(limit.size).toBeLessThanOrEqual(4001);
    t += 10_000;
    limit.take('late');
    expect(limit.size).toBe(1);
  });
});
