/**
 * Program output travels as binary WebSocket frames, not JSON: no escaping cost,
 * and bytes (colours, partial UTF-8) arrive exactly as the program wrote them.
 *
 *   offset 0  u8   format version (1)
 *   offset 1  u8   kind (1 = run output, 2 = interactive shell output)
 *   offset 2  u32  channel (little endian), from `run-accepted`
 *   offset 6  u16  check index (little endian; 0 for a shell)
 *   offset 8  ...  the bytes
 */

export const OUTPUT_FRAME_VERSION = 1;
export const OUTPUT_FRAME_HEADER_BYTES = 8;
export const OutputFrameKind = { runOutput: 1, shellOutput: 2 } as const;
export type OutputFrameKind = (typeof OutputFrameKind)[keyof typeof OutputFrameKind];

export interface OutputFrame {
  /** Run output unless said otherwise. */
  kind?: OutputFrameKind;
  channel: number;
  checkIndex: number;
  data: Uint8Array;
}

export function encodeOutputFrame(frame: OutputFrame): Uint8Array {
  const out = new Uint8Array(OUTPUT_FRAME_HEADER_BYTES + frame.data.byteLength);
  const view = new DataView(out.buffer);
  view.setUint8(0, OUTPUT_FRAME_VERSION);
  view.setUint8(1, frame.kind ?? OutputFrameKind.runOutput);
  view.setUint32(2, frame.channel, true);
  view.setUint16(6, frame.checkIndex, true);
  out.set(frame.data, OUTPUT_FRAME_HEADER_BYTES);
  return out;
}

/** Returns null for anything that is not a well-formed output frame. */
export function decodeOutputFrame(bytes: Uint8Array): OutputFrame | null {
  if (bytes.byteLength < OUTPUT_FRAME_HEADER_BYTES) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const kind = view.getUint8(1);
  if (view.getUint8(0) !== OUTPUT_FRAME_VERSION || (kind !== OutputFrameKind.runOutput && kind !== OutputFrameKind.shellOutput)) return null;
  return {
    kind,
    channel: view.getUint32(2, true),
    checkIndex: view.getUint16(6, true),
    data: bytes.subarray(OUTPUT_FRAME_HEADER_BYTES),
  };
}
