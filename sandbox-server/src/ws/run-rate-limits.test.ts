import { describe, expect, it } from 'vitest';
import { RUNS_PER_ADDRESS, RUNS_PER_LEARNER, RunRateLimits } from './run-rate-limits.js';

describe('run rate limits', () => {
  it('limit one learner to its burst, whatever socket or address it comes from', () => {
    const limits = new RunRateLimits();
    for (let i = 0; i < RUNS_PER_LEARNER.burst; i++) expect(limits.refuse('l_a', `10.0.0.${i}`)).toBeNull();
    expect(limits.refuse('l_a', '10.0.0.99')).toMatch(/faster than they can finish/);
    expect(limits.refuse('l_b', '10.0.0.99')).toBeNull();
  });

  it('limit one address across all its learners (a classroom behind one NAT shares a larger budget)', () => {
    const limits = new RunRateLimits();
    for (let i = 0; i < RUNS_PER_ADDRESS.burst; i++) expect(limits.refuse(`l_${i}`, '192.0.2.1')).toBeNull();
    expect(limits.refuse('l_new', '192.0.2.1')).toMatch(/too many runs from your network address: try again in \d+ s/);
    expect(limits.refuse('l_new', '192.0.2.2')).toBeNull();
  });
});
