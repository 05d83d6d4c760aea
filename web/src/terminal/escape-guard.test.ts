import { Terminal } from '@xterm/xterm';
import { describe, expect, it } from 'vitest';
import { guardAgainstEscapes } from './escape-guard.js';

/** A real xterm.js terminal (headless: never opened in a page) fed what a hostile program prints. */
function guardedTerminal(guarded = true) {
  const term = new Terminal({ cols: 80, rows: 10 });
  if (guarded) guardAgainstEscapes(term);
  const titles: string[] = [];
  const answers: string[] = [];
  term.onTitleChange((t) => titles.push(t));
  term.onData((d) => answers.push(d));
  const write = (data: string | Uint8Array): Promise<void> => new Promise((resolve) => term.write(data, resolve));
  const line = (n: number): string => term.buffer.active.getLine(n)?.translateToString(true) ?? '';
  return { term, titles, answers, write, line };
}

const hostile = [
  'before ',
  '\x1b]0;pwned title\x07', // window title
  '\x1b]2;another title\x1b\\',
  '\x1b]52;c;aGFja2VkIGNsaXBib2FyZA==\x07', // clipboard write
  '\x1b]8;;https://evil.example/\x07click me\x1b]8;;\x07', // hyperlink (its text still shows)
  '\x1b]4;1;rgb:ff/00/00\x07\x1b]10;?\x07\x1b]11;?\x07', // palette change and colour queries
  '\x1b[6n\x1b[5n\x1b[c\x1b[>c\x1b[=c\x1b[?25$p\x1b[18t\x1b[>q', // queries the terminal would answer
  '\x1bP$qm\x1b\\\x1bP+q544e\x1b\\', // DECRQSS, XTGETTCAP
  ' after',
].join('');

describe('the terminal escape guard', () => {
  it('an unguarded xterm does act on them: the threat is real', async () => {
    const t = guardedTerminal(false);
    await t.write(hostile);
    expect(t.titles.length).toBeGreaterThan(0);
    expect(t.answers.length).toBeGreaterThan(0);
  });

  it('swallows titles, clipboard, hyperlinks, palette and every query; the text around them is printed', async () => {
    const t = guardedTerminal();
    await t.write(hostile);
    expect(t.titles).toEqual([]);
    expect(t.answers).toEqual([]);
    expect(t.line(0)).toBe('before click me after');
  });

  it('catches a sequence split across writes, byte by byte', async () => {
    const t = guardedTerminal();
    for (const byte of new TextEncoder().encode('a\x1b]0;split title\x07b\x1b[6nc')) await t.write(new Uint8Array([byte]));
    expect(t.titles).toEqual([]);
    expect(t.answers).toEqual([]);
    expect(t.line(0)).toBe('abc');
  });

  it('leaves colours, cursor movement and clearing alone', async () => {
    const t = guardedTerminal();
    await t.write('\x1b[31mred\x1b[0m');
    const red = t.term.buffer.active.getLine(0)?.getCell(0);
    expect([red?.getChars(), red?.isFgPalette(), red?.getFgColor()]).toEqual(['r', true, 1]);
    await t.write('\x1b[2J\x1b[Hx\x1b[1;5Hy');
    expect(t.line(0)).toBe('x   y');
  });
});
