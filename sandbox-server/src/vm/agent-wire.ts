import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The host side of the wire format spoken with the guest agent over
 * virtio-serial. The C side is sandbox-server/guest/agent/wire.h; a unit test
 * checks that every number here matches it.
 *
 * frame := u32 length (LE, counts type + body) | u8 type | body
 * body  := field*     field := u8 tag | u32 length (LE) | bytes
 */

export const MAX_FRAME_BYTES = 32 << 20;

export const Msg = {
  JOB: 0x01,
  FILE: 0x02,
  CHECK: 0x03,
  SHELL: 0x04,
  SHELL_INPUT: 0x05,
  SHELL_RESIZE: 0x06,
  SYNC: 0x07,
  PRELOAD: 0x08,
  SEAL: 0x09,
  READY: 0x81,
  OUTPUT: 0x82,
  CHECK_DONE: 0x83,
  ERROR: 0x84,
  JOB_READY: 0x85,
  SHELL_OUTPUT: 0x86,
  SHELL_EXIT: 0x87,
  SYNCED: 0x88,
  TRACE_STEP: 0x89,
  TRACE_INFO: 0x8a,
} as const;

export const Tag = {
  TIME_NS: 1,
  ENTROPY: 2,
  PATH: 3,
  KIND: 4,
  MODE: 5,
  DATA: 6,
  INDEX: 7,
  PROBE: 8,
  PROBE_NAME: 9,
  SECRET: 10,
  NONCE: 11,
  PLANT: 12,
  TOKEN: 13,
  WALL_MS: 14,
  MEM_BYTES: 15,
  PIDS: 16,
  OUTPUT_BYTES: 17,
  ACCOMPLICE: 18,
  EXIT_CODE: 19,
  SIGNAL: 20,
  LIMIT: 21,
  PROOF: 22,
  DETAIL: 23,
  MESSAGE: 24,
  VERSION: 25,
  COLS: 26,
  ROWS: 27,
  PREPARE_US: 28,
  ACCOMPLICES_US: 29,
  PROBE_STARTED_US: 30,
  KILL_US: 31,
  DRAIN_US: 32,
  RACE: 33,
  RACE_NOTE: 34,
  TRACE_STOPS: 35,
  STRAYS_US: 36,
  BASELINE_US: 37,
  WORLD_US: 38,
  GROUP: 39,
  // What the agent saw of the probe.
  PROBE_SHA256: 40,
  PROBE_EXIT: 41,
  PROBE_OUTPUT_AT: 42,
  IMPOSTOR: 43,
  VOID: 44,
  HELD: 45,
  MAC: 46,
  KEY: 47,
  // The escape replay (trace-frames.ts).
  TRACE: 48,
  STEP_PID: 49,
  STEP_PROC: 50,
  STEP_CALL: 51,
  STEP_ARG: 52,
  STEP_RESULT: 53,
  STEP_ERRNO: 54,
  W_PATH: 55,
  W_OPENED: 56,
  W_PASSED: 57,
  W_ROOT: 58,
  W_CWD: 59,
  W_DIRFD: 60,
  W_TARGET: 61,
  STEP_CREDS: 62,
  STEP_NS: 63,
  STEP_BECAME: 64,
  STEP_EXE: 65,
  STEP_NOTE: 66,
  TRACE_JAIL: 67,
  TRACE_STEPS: 68,
  TRACE_DROPPED: 69,
  TRACE_NOTE: 70,
  JAIL_ITEM: 71,
  JAIL_SCANNED: 72,
  STEP_DIRFDS: 73,
  NAMESPACES_US: 74,
  PROGRAM_EXEC_US: 75,
  PROBE_RELEASED_US: 76,
} as const;

export const FileKind = { FILE: 0, DIR: 1, SYMLINK: 2, PRELOADED: 3 } as const;
export const WireLimit = { NONE: 0, TIME: 1, MEMORY: 2, PROCESSES: 3, OUTPUT: 4 } as const;
/** When an accomplice starts (the first byte of a T_ACCOMPLICE field). */
export const AccompliceStarts = { BEFORE_PROGRAM: 0, WITH_PROBE: 1 } as const;

export type FieldValue = string | number | bigint | Uint8Array;
export type Field = [tag: number, value: FieldValue];

function fieldBytes(value: FieldValue, tag: number): Buffer {
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  if (typeof value === 'bigint') {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(value);
    return b;
  }
  if (typeof value === 'number') {
    // KIND and LIMIT are single bytes on the wire; every other number is a u32.
    if (tag === Tag.KIND || tag === Tag.LIMIT) return Buffer.from([value]);
    const b = Buffer.alloc(4);
    b.writeUInt32LE(value >>> 0);
    return b;
  }
  return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
}

export function encodeFrame(type: number, fields: Field[]): Buffer {
  const parts = fields.map(([tag, value]) => {
    const data = fieldBytes(value, tag);
    const head = Buffer.alloc(5);
    head.writeUInt8(tag, 0);
    head.writeUInt32LE(data.byteLength, 1);
    return Buffer.concat([head, data]);
  });
  const body = Buffer.concat(parts);
  const head = Buffer.alloc(5);
  head.writeUInt32LE(body.byteLength + 1, 0);
  head.writeUInt8(type, 4);
  return Buffer.concat([head, body]);
}

/** A decoded frame. Fields keep their order; repeatable tags appear more than once. */
export class Frame {
  constructor(
    readonly type: number,
    readonly fields: ReadonlyArray<readonly [number, Buffer]>,
  ) {}

  bytes(tag: number): Buffer | undefined {
    return this.fields.find(([t]) => t === tag)?.[1];
  }
  str(tag: number): string | undefined {
    return this.bytes(tag)?.toString('utf8');
  }
  u32(tag: number): number | undefined {
    const b = this.bytes(tag);
    return b && b.byteLength === 4 ? b.readUInt32LE(0) : undefined;
  }
  i32(tag: number): number | undefined {
    const b = this.bytes(tag);
    return b && b.byteLength === 4 ? b.readInt32LE(0) : undefined;
  }
  u8(tag: number): number | undefined {
    const b = this.bytes(tag);
    return b && b.byteLength === 1 ? b.readUInt8(0) : undefined;
  }
  i64(tag: number): bigint | undefined {
    const b = this.bytes(tag);
    return b && b.byteLength === 8 ? b.readBigInt64LE(0) : undefined;
  }
  /** Every value of a repeatable tag, in order. */
  all(tag: number): Buffer[] {
    return this.fields.filter(([t]) => t === tag).map(([, v]) => v);
  }
}

export class WireError extends Error {}

const MAC_FIELD_BYTES = 5 + 32;

/** The MAC the agent puts last in frame number `seq` of a job: HMAC-SHA256(key, seq | type | body before the MAC). */
export function frameMac(key: Buffer, seq: bigint, typeAndBody: Buffer): Buffer {
  const s = Buffer.alloc(8);
  s.writeBigUInt64LE(seq);
  return createHmac('sha256', key).update(s).update(typeAndBody).digest();
}

/**
 * Splits a byte stream into frames. Throws WireError on a malformed stream, or (once authenticated) on a frame
 * that is not signed with the job's key in sequence: the VM is then not to be trusted.
 */
export class FrameDecoder {
  private buf: Buffer = Buffer.alloc(0);
  private key: Buffer | null = null;
  private seq = 0n;

  /** From now on every frame must end with the agent's T_MAC over it (wire.h), counting from 0. */
  authenticate(key: Buffer): void {
    this.key = key;
    this.seq = 0n;
  }

  push(chunk: Buffer): Frame[] {
    this.buf = this.buf.byteLength ? Buffer.concat([this.buf, chunk]) : chunk;
    const frames: Frame[] = [];
    for (;;) {
      if (this.buf.byteLength < 5) break;
      const len = this.buf.readUInt32LE(0);
      if (len < 1 || len > MAX_FRAME_BYTES) throw new WireError(`bad frame length ${len}`);
      if (this.buf.byteLength < 4 + len) break;
      const frame = this.buf.subarray(4, 4 + len);
      frames.push(this.key ? this.verified(frame) : parseFrame(frame));
      this.buf = this.buf.subarray(4 + len);
    }
    return frames;
  }

  /** A signed frame, its MAC checked and taken off. */
  private verified(frame: Buffer): Frame {
    const at = frame.byteLength - MAC_FIELD_BYTES;
    const signed = at >= 1 && frame.readUInt8(at) === Tag.MAC && frame.readUInt32LE(at + 1) === 32;
    const want = frameMac(this.key!, this.seq, frame.subarray(0, Math.max(at, 0)));
    if (!signed || !timingSafeEqual(frame.subarray(at + 5), want)) throw new WireError(`frame ${this.seq} from the guest is not signed by its agent`);
    this.seq++;
    return parseFrame(frame.subarray(0, at));
  }
}

function parseFrame(frame: Buffer): Frame {
  const type = frame.readUInt8(0);
  const fields: Array<[number, Buffer]> = [];
  let at = 1;
  while (at < frame.byteLength) {
    if (frame.byteLength - at < 5) throw new WireError(`truncated field in frame type ${type}`);
    const tag = frame.readUInt8(at);
    const len = frame.readUInt32LE(at + 1);
    if (len > frame.byteLength - at - 5) throw new WireError(`field ${tag} overruns frame type ${type}`);
    fields.push([tag, frame.subarray(at + 5, at + 5 + len)]);
    at += 5 + len;
  }
  return new Frame(type, fields);
}
