import { describe, expect, it } from 'vitest';
import { compareStreamIds, decodeEntry, encodeEntry, StreamEntryError, type StreamEntry } from './stream-codec.js';

const asBuffers = (fields: Array<string | Buffer>): Buffer[] => fields.map((f) => (typeof f === 'string' ? Buffer.from(f) : f));

describe('the run stream codec', () => {
  it('carries events, output bytes and the runner hello unchanged', () => {
    const entries: StreamEntry[] = [
      { kind: 'event', event: { type: 'check-started', index: 2 } },
      { kind: 'output', checkIndex: 1, data: Buffer.from([0, 255, 10, 0xc3]) },
      { kind: 'taken', by: { runnerId: 'r1', host: 'box' } },
      { kind: 'handed-back', by: { runnerId: 'r1', host: 'box' } },
    ];
    for (const e of entries) expect(decodeEntry(asBuffers(encodeEntry(e)))).toEqual(e);
  });

  it('refuses what is not a run event, output or hello', () => {
    expect(() => decodeEntry(asBuffers(['e', '{"type":"open-the-pod-bay-doors"}']))).toThrow(StreamEntryError);
    expect(() => decodeEntry(asBuffers(['e', 'not json']))).toThrow(StreamEntryError);
    expect(() => decodeEntry(asBuffers(['o', '-1', 'd', 'x']))).toThrow(StreamEntryError);
    expect(() => decodeEntry(asBuffers(['x', 'y']))).toThrow(StreamEntryError);
    expect(() => decodeEntry(asBuffers(['h', '{"runnerId":1}']))).toThrow(StreamEntryError);
  });

  it('orders stream ids numerically', () => {
    expect(compareStreamIds('9-0', '10-0')).toBe(-1);
    expect(compareStreamIds('10-2', '10-10')).toBe(-1);
    expect(compareStreamIds('10-10', '10-10')).toBe(0);
    expect(compareStreamIds('11-0', '10-99')).toBe(1);
  });
});
