import { describe, expect, it } from 'vitest';
import { plainOutput } from './plain-output.js';

const b64 = (s: string): string => btoa(String.fromCharCode(...new TextEncoder().encode(s)));

describe('a run record\'s output as plain text', () => {
  it('drops colours, cursor moves, title changes and control characters, keeps text and line breaks', () => {
    expect(plainOutput(b64('\x1b[1;31mescape:\x1b[0m read it\n\x1b]0;owned\x07\x1b[2Jok\x07\x00 é\n'))).toBe('escape: read it\nok é\n');
  });
});
