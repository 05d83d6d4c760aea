import { MAX_TRACE_STEPS, MAX_TRACE_STRING, TraceStep } from '@jaillab/protocol';
import { describe, expect, it } from 'vitest';
import { encodeFrame, type Field, FrameDecoder, Msg, Tag } from './agent-wire.js';
import { ProcCode, TraceCollector, WhereFlag, decodeCreds, decodeInfo, decodeJailItem, decodeStep } from './trace-frames.js';

/** A frame as the guest agent would send it (recorder.c), through the real decoder. */
const frame = (type: number, fields: Field[]) => new FrameDecoder().push(encodeFrame(type, fields))[0]!;
/** trace_where.c's layout: flags (u8), fd (i32 LE), path. */
const where = (flags: number, fd: number, path: string): Buffer => {
  const head = Buffer.alloc(5);
  head.writeUInt8(flags, 0);
  head.writeInt32LE(fd, 1);
  return Buffer.concat([head, Buffer.from(path)]);
};
const i64 = (n: number): Buffer => {
  const b = Buffer.alloc(8);
  b.writeBigInt64LE(BigInt(n));
  return b;
};
const u8 = (n: number): Uint8Array => Uint8Array.of(n);

describe('trace frames from the guest agent', () => {
  it("decodes a leaked-fd probe's fchdir: call, result, and where root and cwd are after it", () => {
    const f = frame(Msg.TRACE_STEP, [
      [Tag.STEP_PID, 42],
      [Tag.STEP_PROC, u8(ProcCode.PROBE)],
      [Tag.STEP_CALL, 'fchdir'],
      [Tag.STEP_ARG, '3'],
      [Tag.STEP_RESULT, i64(0)],
      [Tag.W_OPENED, where(WhereFlag.DIR, 3, '/')],
      [Tag.W_ROOT, where(WhereFlag.INSIDE | WhereFlag.DIR, -1, '/jail')],
      [Tag.W_CWD, where(WhereFlag.DIR, -1, '/')],
      [Tag.STEP_DIRFDS, 1],
      [Tag.W_DIRFD, where(WhereFlag.DIR, 3, '/')],
    ]);
    const step = decodeStep(f, 7)!;
    expect(TraceStep.safeParse(step).success).toBe(true);
    expect(step).toMatchObject({ i: 7, pid: 42, proc: 'probe', call: 'fchdir', args: ['3'], result: 0, errno: null });
    expect(step.opened).toEqual({ path: '/', inside: false, belowRoot: false, kind: 'dir', fd: 3 });
    expect(step.after?.root).toMatchObject({ path: '/jail', inside: true });
    expect(step.after?.cwd).toMatchObject({ path: '/', inside: false, belowRoot: false });
    expect(step.after?.dirFds).toEqual([{ path: '/', inside: false, belowRoot: false, kind: 'dir', fd: 3 }]);
  });

  it('keeps a refused call as a negative result with its errno name', () => {
    const f = frame(Msg.TRACE_STEP, [[Tag.STEP_PID, 9], [Tag.STEP_PROC, u8(ProcCode.JAILER)], [Tag.STEP_CALL, 'chroot'], [Tag.STEP_ARG, '/jail'], [Tag.STEP_RESULT, i64(-1)], [Tag.STEP_ERRNO, 'EPERM']]);
    expect(decodeStep(f, 0)).toMatchObject({ proc: 'jailer', call: 'chroot', result: -1, errno: 'EPERM' });
  });

  it('does not believe a guest that sends too much or nonsense', () => {
    const long = 'x'.repeat(10_000);
    const f = frame(Msg.TRACE_STEP, [
      [Tag.STEP_PID, 1],
      [Tag.STEP_PROC, u8(ProcCode.OTHER)],
      [Tag.STEP_CALL, long],
      ...Array.from({ length: 20 }, (): Field => [Tag.STEP_ARG, long]),
      [Tag.STEP_ERRNO, long],
      [Tag.STEP_NOTE, long],
    ]);
    const step = decodeStep(f, 0)!;
    expect(step.call.length).toBeLessThanOrEqual(40);
    expect(step.args).toHaveLength(8);
    expect(step.args.every((a) => a.length <= MAX_TRACE_STRING)).toBe(true);
    expect(step.errno!.length).toBeLessThanOrEqual(24);
    expect(TraceStep.safeParse(step).success).toBe(true);

    // No call, no pid, or a process kind the agent does not have: not a step anyone could show.
    expect(decodeStep(frame(Msg.TRACE_STEP, [[Tag.STEP_PID, 1], [Tag.STEP_PROC, u8(0)]]), 0)).toBeNull();
    expect(decodeStep(frame(Msg.TRACE_STEP, [[Tag.STEP_PROC, u8(0)], [Tag.STEP_CALL, 'open']]), 0)).toBeNull();
    expect(decodeStep(frame(Msg.TRACE_STEP, [[Tag.STEP_PID, 1], [Tag.STEP_PROC, u8(99)], [Tag.STEP_CALL, 'open']]), 0)).toBeNull();
    // A "where" too short to hold its header is left out, the step kept.
    const short = decodeStep(frame(Msg.TRACE_STEP, [[Tag.STEP_PID, 1], [Tag.STEP_PROC, u8(0)], [Tag.STEP_CALL, 'open'], [Tag.W_PATH, Buffer.from([1, 2])]]), 0)!;
    expect(short.path).toBeUndefined();
  });

  it('reads credentials, and refuses credentials without real, effective and saved ids', () => {
    expect(decodeCreds('uid=0,0,0,0;gid=0,0,0,0;groups=0,27;capprm=000001ffffffffff;capeff=0;capbnd=1FF;nnp=1;seccomp=2')).toEqual({
      uid: [0, 0, 0, 0],
      gid: [0, 0, 0, 0],
      groups: [0, 27],
      capPrm: '000001ffffffffff',
      capEff: '0',
      capBnd: '1ff',
      noNewPrivs: true,
      seccomp: 2,
    });
    expect(decodeCreds('uid=1000;gid=1000,1000,1000')).toBeNull();
    expect(decodeCreds('garbage')).toBeNull();
    expect(decodeCreds('uid=0,0,0;gid=0,0,0;capprm=not-hex')?.capPrm).toBe('0');
  });

  it("reads the jail's contents at probe start, and drops an item without its separator", () => {
    const item = Buffer.concat([Buffer.from([2, 1]), Buffer.from('/jail/dev/sda\0block 8:0')]);
    const info = decodeInfo(frame(Msg.TRACE_INFO, [[Tag.TRACE_JAIL, '/jail'], [Tag.TRACE_STEPS, 12], [Tag.TRACE_DROPPED, 0], [Tag.JAIL_SCANNED, 40], [Tag.JAIL_ITEM, item], [Tag.JAIL_ITEM, Buffer.from([2, 0, 65])]]));
    expect(info.jailAtProbeStart).toEqual({ entries: 40, items: [{ kind: 'device', path: '/jail/dev/sda', detail: 'block 8:0', nodev: true, nosuid: false, secret: false }] });
    expect(decodeJailItem(Buffer.from([9, 0, 0]))).toBeNull();
  });

  it('keeps at most MAX_TRACE_STEPS steps and counts the rest', () => {
    const c = new TraceCollector();
    const f = frame(Msg.TRACE_STEP, [[Tag.STEP_PID, 1], [Tag.STEP_PROC, u8(ProcCode.PROBE)], [Tag.STEP_CALL, 'getpid']]);
    for (let i = 0; i < MAX_TRACE_STEPS + 5; i++) c.push(f);
    expect(c.steps).toHaveLength(MAX_TRACE_STEPS);
    expect(c.steps.at(-1)!.i).toBe(MAX_TRACE_STEPS - 1);
    expect(c.overflow).toBe(5);
  });
});
