import { describe, expect, it } from 'vitest';
import { decodeShellInput, decodeShellOutput, encodeShellInput, encodeShellOutput, MAX_INPUT_BYTES, ShellEntryError } from './shell-stream-codec.js';

/** What XREAD gives back for what XADD was given: every field as bytes. */
const asRead = (fields: Array<string | Buffer>): Buffer[] => fields.map((f) => (typeof f === 'string' ? Buffer.from(f) : f));

describe('shell stream entries', () => {
  it('carry output bytes as they are, and notices as validated JSON', () => {
    const bytes = Buffer.from([0, 0xff, 0x1b, 0x5b, 0x41]);
    expect(decodeShellOutput(asRead(encodeShellOutput({ kind: 'output', data: bytes })))).toEqual({ kind: 'output', data: bytes });
    for (const e of [
      { kind: 'taken', by: { runnerId: 'r-1', host: 'host-a' } },
      { kind: 'status', message: 'Compiling your program…' },
      { kind: 'opened', accelerator: 'kvm' },
      { kind: 'ended', reason: 'server-stopping', message: 'bye' },
      { kind: 'refused', why: 'compile', message: 'jail.c:1: error' },
    ] as const)
      expect(decodeShellOutput(asRead(encodeShellOutput(e)))).toEqual(e);
  });

  it('refuse what a runner may not send a browser: unknown kinds, reasons the protocol lacks, no fields at all', () => {
    expect(() => decodeShellOutput(asRead(['n', JSON.stringify({ kind: 'ended', reason: 'replaced', message: 'x' })]))).toThrow(ShellEntryError);
    expect(() => decodeShellOutput(asRead(['n', JSON.stringify({ kind: 'opened', accelerator: 'hvf' })]))).toThrow(ShellEntryError);
    expect(() => decodeShellOutput(asRead(['n', '{not json']))).toThrow(ShellEntryError);
    expect(() => decodeShellOutput([])).toThrow(ShellEntryError);
  });

  it('carry keystrokes, sizes a terminal can have, and the close; nothing else reaches the shell', () => {
    const keys = Buffer.from('ls -l\r');
    expect(decodeShellInput(asRead(encodeShellInput({ kind: 'input', data: keys })))).toEqual({ kind: 'input', data: keys });
    expect(decodeShellInput(asRead(encodeShellInput({ kind: 'resize', size: { cols: 120, rows: 40 } })))).toEqual({ kind: 'resize', size: { cols: 120, rows: 40 } });
    expect(decodeShellInput(asRead(encodeShellInput({ kind: 'close' })))).toEqual({ kind: 'close' });
    expect(() => decodeShellInput(asRead(['n', JSON.stringify({ kind: 'resize', size: { cols: 0, rows: 40 } })]))).toThrow(ShellEntryError);
    expect(() => decodeShellInput(asRead(['n', JSON.stringify({ kind: 'exec', command: 'rm -rf /' })]))).toThrow(ShellEntryError);
    expect(() => decodeShellInput([Buffer.from('d'), Buffer.alloc(MAX_INPUT_BYTES + 1)])).toThrow(ShellEntryError);
  });
});
