import { describe, expect, it } from 'vitest';
import { isPaneKey, paneAfter, PANES } from './pane-keys.js';

describe('pane keys', () => {
  it('F6 goes round the panes in order, Shift+F6 the other way', () => {
    const forward = [paneAfter(null, false)];
    for (let i = 0; i < PANES.length; i++) forward.push(paneAfter(forward.at(-1)!, false));
    expect(forward).toEqual(['lesson', 'checks', 'editor', 'terminal', 'lesson']);
    expect(paneAfter(null, true)).toBe('terminal');
    expect(paneAfter('lesson', true)).toBe('terminal');
    expect(paneAfter('editor', true)).toBe('checks');
  });

  it('is F6 with or without Shift, and nothing else', () => {
    const key = (k: string, mods: Partial<Record<'ctrlKey' | 'altKey' | 'metaKey', boolean>> = {}) => ({ key: k, ctrlKey: false, altKey: false, metaKey: false, ...mods });
    expect(isPaneKey(key('F6'))).toBe(true);
    expect(isPaneKey(key('F6', { ctrlKey: true }))).toBe(false);
    expect(isPaneKey(key('Tab'))).toBe(false);
  });
});
