import { describe, expect, it } from 'vitest';
import { FlowControl } from './flow-control.js';

describe('output flow control', () => {
  it('pauses at the high-water mark and resumes only below the low-water mark', () => {
    const f = new FlowControl(100, 20);
    f.sent(60);
    expect(f.isPaused).toBe(false);
    f.sent(50);
    expect(f.isPaused).toBe(true);
    expect(f.acked(50)).toBe(false); // 60 pending: still above the low mark
    expect(f.isPaused).toBe(true);
    expect(f.acked(45)).toBe(true); // 15 pending
    expect(f.isPaused).toBe(false);
  });

  it('ignores acks for more than was sent', () => {
    const f = new FlowControl(100, 20);
    f.acked(1000);
    expect(f.pending).toBe(0);
    f.sent(100);
    expect(f.isPaused).toBe(true);
  });
});
