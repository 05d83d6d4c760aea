import { describe, expect, it } from 'vitest';
import { plural } from './plural.js';

describe('plural', () => {
  it('uses the singular for exactly one', () => {
    expect(plural(1, 'probe')).toBe('1 probe');
  });

  it('adds an s for none and for many', () => {
    expect(plural(0, 'probe')).toBe('0 probes');
    expect(plural(12, 'probe')).toBe('12 probes');
  });

  it('takes an irregular plural, including a verb that agrees', () => {
    expect(plural(1, 'error is', 'errors are')).toBe('1 error is');
    expect(plural(2, 'error is', 'errors are')).toBe('2 errors are');
    expect(plural(3, 'run ahead', 'runs ahead')).toBe('3 runs ahead');
  });
});
