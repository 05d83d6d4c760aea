import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AckBatcher } from './ack-batcher.js';

describe('AckBatcher', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.stubGlobal('window', globalThis);
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('acks a full batch at once, then the remainder once writing goes quiet', () => {
    const sent: Array<[number, number]> = [];
    const acks = new AckBatcher((bytes, gen) => sent.push([bytes, gen]), 100, 40, 100);
    for (let i = 0; i < 12; i++) acks.written(10, 1);
    expect(sent).toEqual([[100, 1]]);
    vi.advanceTimersByTime(99);
    expect(sent).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(sent).toEqual([
      [100, 1],
      [20, 1],
    ]);
  });

  it('spaces acks out so the server never rate-limits them', () => {
    const sent: number[] = [];
    const acks = new AckBatcher((bytes) => sent.push(bytes), 100, 40, 100);
    // A fast stream: 1000 bytes every 10 ms for one second.
    for (let t = 0; t < 1000; t += 10) {
      acks.written(1000, 1);
      vi.advanceTimersByTime(10);
    }
    vi.runAllTimers();
    expect(sent.length).toBeLessThanOrEqual(11);
    expect(sent.reduce((a, b) => a + b, 0)).toBe(100_000);
  });

  it('never mixes the counts of two sockets', () => {
    const sent: Array<[number, number]> = [];
    const acks = new AckBatcher((bytes, gen) => sent.push([bytes, gen]), 100, 40, 100);
    acks.written(30, 1);
    acks.written(20, 2);
    vi.runAllTimers();
    expect(sent).toEqual([
      [30, 1],
      [20, 2],
    ]);
  });
});
