import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AccompliceStarts, encodeFrame, FileKind, FrameDecoder, frameMac, Msg, Tag, WireError, WireLimit } from './agent-wire.js';

describe('agent wire format', () => {
  it('matches every number in the C agent\'s wire.h', () => {
    const header = readFileSync(new URL('../../guest/agent/wire.h', import.meta.url), 'utf8');
    const defines = new Map([...header.matchAll(/#define\s+(\w+)\s+(0x[0-9a-fA-F]+|\d+)\b/g)].map((m) => [m[1]!, Number(m[2])]));
    const expectSame = (prefix: string, table: Record<string, number>): void => {
      for (const [name, value] of Object.entries(table)) expect(defines.get(`${prefix}${name}`), `${prefix}${name}`).toBe(value);
      const cNames = [...defines.keys()].filter((k) => k.startsWith(prefix));
      expect(cNames.length, `${prefix}* count`).toBe(Object.keys(table).length);
    };
    expectSame('MSG_', Msg);
    expectSame('T_', Tag);
    expectSame('FILE_KIND_', FileKind);
    expectSame('LIMIT_', WireLimit);
    expectSame('ACCOMPLICE_', AccompliceStarts);
  });

  it('round-trips frames split at every byte boundary', () => {
    const a = encodeFrame(Msg.OUTPUT, [[Tag.INDEX, 7], [Tag.DATA, Buffer.from('hello\r\n')]]);
    const b = encodeFrame(Msg.CHECK_DONE, [[Tag.INDEX, 7], [Tag.LIMIT, WireLimit.OUTPUT], [Tag.TIME_NS, 123n]]);
    const stream = Buffer.concat([a, b]);
    for (let cut = 0; cut <= stream.byteLength; cut++) {
      const d = new FrameDecoder();
      const frames = [...d.push(stream.subarray(0, cut)), ...d.push(stream.subarray(cut))];
      expect(frames.map((f) => f.type)).toEqual([Msg.OUTPUT, Msg.CHECK_DONE]);
      expect(frames[0]!.u32(Tag.INDEX)).toBe(7);
      expect(frames[0]!.str(Tag.DATA)).toBe('hello\r\n');
      expect(frames[1]!.u8(Tag.LIMIT)).toBe(WireLimit.OUTPUT);
      expect(frames[1]!.bytes(Tag.TIME_NS)!.readBigUInt64LE()).toBe(123n);
    }
  });

  it('keeps repeated fields in order', () => {
    const f = new FrameDecoder().push(encodeFrame(Msg.CHECK, [[Tag.PLANT, '/a'], [Tag.PLANT, '/b']]))[0]!;
    expect(f.fields.filter(([t]) => t === Tag.PLANT).map(([, v]) => v.toString())).toEqual(['/a', '/b']);
  });

  it('refuses a malformed stream from the guest', () => {
    const bad = Buffer.alloc(9);
    bad.writeUInt32LE(5, 0);
    bad.writeUInt8(Msg.OUTPUT, 4);
    bad.writeUInt8(Tag.DATA, 5); // field header cut short
    expect(() => new FrameDecoder().push(bad)).toThrow(WireError);
    const huge = Buffer.alloc(5);
    huge.writeUInt32LE(0xffffffff, 0);
    expect(() => new FrameDecoder().push(huge)).toThrow(/bad frame length/);
  });

  it('takes only frames signed with the job key, in order, once authenticated', () => {
    const key = Buffer.alloc(32, 7);
    /** A frame as the agent sends it: the MAC over seq | type | body, as the last field. */
    const signed = (seq: bigint, type: number, fields: Parameters<typeof encodeFrame>[1], k = key): Buffer => {
      const plain = encodeFrame(type, fields);
      const typeAndBody = plain.subarray(4);
      return encodeFrame(type, [...fields, [Tag.MAC, frameMac(k, seq, typeAndBody)]]);
    };
    const d = new FrameDecoder();
    d.authenticate(key);
    const [a, b] = d.push(Buffer.concat([signed(0n, Msg.JOB_READY, []), signed(1n, Msg.OUTPUT, [[Tag.INDEX, 3]])]));
    expect(a!.type).toBe(Msg.JOB_READY);
    expect(b!.u32(Tag.INDEX)).toBe(3);
    expect(b!.bytes(Tag.MAC)).toBeUndefined();
    // Unsigned, signed with another key, or replayed out of order: refused.
    expect(() => d.push(encodeFrame(Msg.CHECK_DONE, [[Tag.INDEX, 3]]))).toThrow(/not signed by its agent/);
    const e = new FrameDecoder();
    e.authenticate(key);
    expect(() => e.push(signed(0n, Msg.OUTPUT, [], Buffer.alloc(32, 8)))).toThrow(WireError);
    const f = new FrameDecoder();
    f.authenticate(key);
    expect(() => f.push(signed(1n, Msg.OUTPUT, []))).toThrow(WireError);
  });
});
