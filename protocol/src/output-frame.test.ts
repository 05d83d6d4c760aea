import { describe, expect, it } from 'vitest';
import { decodeOutputFrame, encodeOutputFrame, OUTPUT_FRAME_HEADER_BYTES, OutputFrameKind } from './output-frame.js';

describe('output frames', () => {
  it('round-trip channel, check index and bytes exactly', () => {
    const data = new Uint8Array([0, 1, 2, 0xff, 0x1b, 0x5b]);
    const frame = encodeOutputFrame({ channel: 70000, checkIndex: 3, data });
    expect(frame.byteLength).toBe(OUTPUT_FRAME_HEADER_BYTES + data.byteLength);
    const back = decodeOutputFrame(frame);
    expect(back?.channel).toBe(70000);
    expect(back?.checkIndex).toBe(3);
    expect([...back!.data]).toEqual([...data]);
  });

  it('rejects short frames and unknown versions instead of misreading them', () => {
    expect(decodeOutputFrame(new Uint8Array([1, 1, 0]))).toBeNull();
    const frame = encodeOutputFrame({ channel: 1, checkIndex: 0, data: new Uint8Array([65]) });
    frame[0] = 9;
    expect(decodeOutputFrame(frame)).toBeNull();
  });

  it('decodes a frame that sits at an offset inside a larger buffer', () => {
    const frame = encodeOutputFrame({ channel: 5, checkIndex: 1, data: new Uint8Array([7, 8]) });
    const big = new Uint8Array(frame.byteLength + 10);
    big.set(frame, 10);
    expect([...decodeOutputFrame(big.subarray(10))!.data]).toEqual([7, 8]);
  });

  it('tells shell output from run output, and rejects unknown kinds', () => {
    const shell = encodeOutputFrame({ kind: OutputFrameKind.shellOutput, channel: 2, checkIndex: 0, data: new Uint8Array([36]) });
    expect(decodeOutputFrame(shell)?.kind).toBe(OutputFrameKind.shellOutput);
    expect(decodeOutputFrame(encodeOutputFrame({ channel: 2, checkIndex: 0, data: new Uint8Array() }))?.kind).toBe(OutputFrameKind.runOutput);
    shell[1] = 7;
    expect(decodeOutputFrame(shell)).toBeNull();
  });
});
