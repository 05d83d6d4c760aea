import { describe, expect, it } from 'vitest';
import { OutputBacklog } from './output-backlog.js';

describe('OutputBacklog', () => {
  it('counts bytes until the server has handled the entry that carried them', () => {
    const b = new OutputBacklog();
    b.queued(100);
    b.stored('5-0', b.total);
    b.queued(50);
    b.stored('5-1', b.total);
    b.queued(25); // not stored yet: still pending
    expect(b.pending).toBe(175);
    b.handledUpTo('4-9');
    expect(b.pending).toBe(175);
    b.handledUpTo('5-0');
    expect(b.pending).toBe(75);
    b.handledUpTo('10-0');
    expect(b.pending).toBe(25);
  });

  it('orders ids by number, not as text', () => {
    const b = new OutputBacklog();
    b.queued(10);
    b.stored('10-0', b.total);
    b.handledUpTo('9-0');
    expect(b.pending).toBe(10);
    b.handledUpTo('10-0');
    expect(b.pending).toBe(0);
  });
});
