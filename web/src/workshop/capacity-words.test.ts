import { describe, expect, it } from 'vitest';
import { capacityWords } from './capacity-words.js';

const capacity = { accelerator: 'kvm' as const, ready: 4, starting: 0, inUse: 0, queued: 0, slots: 2, runners: [] };

describe('the capacity line', () => {
  it('counts runs against slots, and ready VMs apart from them', () => {
    expect(capacityWords(capacity)).toBe('Running 0 of 2 runs at a time, none waiting · 4 fresh VMs booted for the next runs (kvm)');
  });
  it('says one run in the singular', () => {
    expect(capacityWords({ ...capacity, slots: 1, ready: 1 })).toBe('Running 0 of 1 run at a time, none waiting · 1 fresh VM booted for the next runs (kvm)');
  });
  it('says what waits and what is still starting, in agreeing words', () => {
    expect(capacityWords({ ...capacity, inUse: 2, queued: 3, ready: 1, starting: 2, slots: 3 })).toBe(
      'Running 2 of 3 runs at a time, 3 waiting · 1 fresh VM booted for the next runs, 2 more starting (kvm)',
    );
    expect(capacityWords({ ...capacity, accelerator: null })).toMatch(/\(accelerator not known yet\)$/);
  });
});
