import { describe, expect, it } from 'vitest';
import type { CheckInfo } from '@jaillab/protocol';
import { formatCompilerText, sectionHeader, verdictLine } from './run-transcript.js';

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

  it('says a probe the lesson leaves open is still open, where it closes, never "✗ escaped"', () => {
    const info: CheckInfo = { index: 4, id: 'open-by-handle', kind: 'escape', title: 'A file opened by its handle', summary: '', closedIn: { lesson: 'beyond-chroot/root-without-powers', title: 'Root without powers' } };
    const open = verdictLine('escaped', 'escaped: read the outside secret', info);
    expect(open).toContain('◐ still open');
    expect(open).toContain('(closed in Root without powers) — read the outside secret');
    expect(open).not.toContain('escaped');
    // The same verdict without closedIn is an escape, in red.
    expect(verdictLine('escaped', 'read the outside secret', { ...info, closedIn: undefined })).toContain('\x1b[31m✗ escaped');
    expect(verdictLine('contained', 'refused', info)).toContain('✓ contained');
  });
});
