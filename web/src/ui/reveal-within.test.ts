import { describe, expect, it } from 'vitest';
import { scrollTopToShowStart } from './reveal-within.js';

const list = { top: 300, bottom: 700 };

describe('showing a row from its start', () => {
  it('leaves a row that is wholly in view where it is', () => {
    expect(scrollTopToShowStart(list, 120, { top: 320, bottom: 500 }, 4)).toBeNull();
  });
  it('brings a row whose heading is scrolled away above back to the top, margin included', () => {
    // The heading is 90 px above the list's top: scroll up by 90 + the margin.
    expect(scrollTopToShowStart(list, 200, { top: 210, bottom: 520 }, 4)).toBe(106);
  });
  it('puts a row taller than the list at its start, not its middle or its end', () => {
    expect(scrollTopToShowStart(list, 0, { top: 500, bottom: 1100 }, 4)).toBe(196);
  });
  it('scrolls down to a row below the list, and never above the list’s own top', () => {
    expect(scrollTopToShowStart(list, 0, { top: 720, bottom: 800 }, 0)).toBe(420);
    expect(scrollTopToShowStart(list, 10, { top: 280, bottom: 320 }, 40)).toBe(0);
  });
});
