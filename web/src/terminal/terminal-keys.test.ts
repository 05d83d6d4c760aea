import { describe, expect, it } from 'vitest';
import { passesThrough } from './terminal-view.js';

const key = (k: string, mods: Partial<Record<'ctrlKey' | 'metaKey' | 'altKey', boolean>> = {}) => ({ key: k, ctrlKey: false, metaKey: false, altKey: false, ...mods });

describe('keys a terminal leaves to the page', () => {
  it('a terminal without a shell takes no keys: Tab, Escape, F6 and Run leave it', () => {
    for (const k of [key('Tab'), key('Escape'), key('F6'), key('Enter', { ctrlKey: true })]) expect(passesThrough(k, false)).toBe(true);
    expect(passesThrough(key('a'), false)).toBe(false);
  });

  it('a running shell keeps Tab and Escape (completion, vi); F6 and Run still leave it', () => {
    expect(passesThrough(key('Tab'), true)).toBe(false);
    expect(passesThrough(key('Escape'), true)).toBe(false);
    expect(passesThrough(key('Enter'), true)).toBe(false);
    expect(passesThrough(key('F6'), true)).toBe(true);
    expect(passesThrough(key('Enter', { metaKey: true }), true)).toBe(true);
  });
});
