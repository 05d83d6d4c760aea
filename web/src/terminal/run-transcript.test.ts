import { describe, expect, it } from 'vitest';
import { formatCompilerText, sectionHeader } from './run-transcript.js';

describe('transcript formatting', () => {
  it('draws a section header as wide as the terminal, capped at 100', () => {
    expect(sectionHeader('check 1 · Title', 40)).toBe('── check 1 · Title ' + '─'.repeat(21));
    expect(sectionHeader('x', 500)).toHaveLength(100);
  });

  it('turns gcc lines into terminal lines and colours severities', () => {
    const out = formatCompilerText("jail.c:4:18: error: 'y' undeclared\n    4 | y\njail.c:3:7: warning: unused");
    expect(out.split('\r\n')).toHaveLength(3);
    expect(out).toContain('\x1b[31merror\x1b[39m');
    expect(out).toContain('\x1b[33mwarning\x1b[39m');
  });
});
