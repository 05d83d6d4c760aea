import { type JailItem, MAX_TRACE_STEPS, MAX_TRACE_STRING, type Namespace, type TraceCreds, type TraceFd, type TraceProc, type TraceSnapshot, type TraceStep, type TraceWhere } from '@jaillab/protocol';
import { type Frame, Tag } from './agent-wire.js';

/**
 * The escape replay as the guest agent sends it (MSG_TRACE_STEP frames, then
 * one MSG_TRACE_INFO; guest/agent/recorder.h), turned into the protocol's
 * types. The guest is not trusted: every string is cut to the protocol's cap,
 * every list to its bound, and a frame that makes no sense is dropped rather
 * than believed.
 */

/** trace_where.h's W_* flags of a "where" field. */
export const WhereFlag = { INSIDE: 1 << 0, BELOW_ROOT: 1 << 1, FOREIGN: 1 << 2, SECRET: 1 << 3, DIR: 1 << 4, BLOCKDEV: 1 << 5, CHARDEV: 1 << 6, DELETED: 1 << 7 } as const;
/** recorder.h's PROC_* values. */
export const ProcCode = { JAILER: 0, PROBE: 1, OTHER: 2, ACCOMPLICE: 3 } as const;
/** trace_scan.h's jail item kinds and flags. */
export const JailItemKind = { PROC: 1, DEVICE: 2, SETUID: 3, HARDLINK: 4 } as const;
export const JailItemFlag = { NODEV: 1, NOSUID: 2, IS_SECRET: 4 } as const;

const PROCS: Record<number, TraceProc> = { [ProcCode.JAILER]: 'jailer', [ProcCode.PROBE]: 'probe', [ProcCode.OTHER]: 'other', [ProcCode.ACCOMPLICE]: 'accomplice' };
const ITEM_KINDS: Record<number, JailItem['kind']> = { [JailItemKind.PROC]: 'proc', [JailItemKind.DEVICE]: 'device', [JailItemKind.SETUID]: 'setuid', [JailItemKind.HARDLINK]: 'hardlink' };
const NAMESPACES: readonly Namespace[] = ['user', 'mnt', 'pid', 'net'];

const text = (b: Buffer, max = MAX_TRACE_STRING): string => {
  const s = b.toString('utf8');
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
};

export function decodeWhere(b: Buffer): TraceFd | null {
  if (b.byteLength < 5) return null;
  const flags = b.readUInt8(0);
  const fd = b.readInt32LE(1);
  const where: TraceWhere = {
    path: text(b.subarray(5)),
    inside: (flags & WhereFlag.INSIDE) !== 0,
    belowRoot: (flags & WhereFlag.BELOW_ROOT) !== 0,
    kind: flags & WhereFlag.DIR ? 'dir' : flags & WhereFlag.BLOCKDEV ? 'block-device' : flags & WhereFlag.CHARDEV ? 'char-device' : flags & WhereFlag.FOREIGN ? 'other' : 'file',
  };
  if (flags & WhereFlag.FOREIGN) where.foreign = true;
  if (flags & WhereFlag.SECRET) where.secret = true;
  return { ...where, fd };
}

/** "uid=0,0,0,0;gid=...;groups=0,27;capprm=HEX;capeff=HEX;capbnd=HEX;nnp=0;seccomp=2" (trace_where.c). */
export function decodeCreds(s: string): TraceCreds | null {
  const kv = new Map(s.split(';').map((part) => [part.slice(0, part.indexOf('=')), part.slice(part.indexOf('=') + 1)] as const));
  const ids = (v: string | undefined): number[] => (v ? v.split(',').filter(Boolean).map(Number).filter(Number.isInteger) : []);
  const hex = (v: string | undefined): string => (v && /^[0-9a-f]{1,32}$/i.test(v) ? v.toLowerCase() : '0');
  const uid = ids(kv.get('uid')).slice(0, 4);
  const gid = ids(kv.get('gid')).slice(0, 4);
  if (uid.length < 3 || gid.length < 3) return null;
  return {
    uid,
    gid,
    groups: ids(kv.get('groups')).slice(0, 64),
    capPrm: hex(kv.get('capprm')),
    capEff: hex(kv.get('capeff')),
    capBnd: hex(kv.get('capbnd')),
    noNewPrivs: kv.get('nnp') === '1',
    seccomp: Number(kv.get('seccomp') ?? 0) || 0,
  };
}

const ownNamespaces = (s: string): Namespace[] => s.split(',').filter((n): n is Namespace => (NAMESPACES as readonly string[]).includes(n));

const stripFd = (w: TraceFd): TraceWhere => {
  const { fd: _fd, ...where } = w;
  return where;
};

/** Root, cwd, descriptors, credentials and namespaces a frame carries (a step's "after", or the program's start). */
function snapshotOf(f: Frame): Partial<TraceSnapshot> | null {
  const root = f.bytes(Tag.W_ROOT);
  const cwd = f.bytes(Tag.W_CWD);
  const creds = f.str(Tag.STEP_CREDS);
  const ns = f.str(Tag.STEP_NS);
  const dirFds = f.all(Tag.W_DIRFD).flatMap((b) => decodeWhere(b) ?? []).slice(0, 16);
  const dirFdsSeen = f.u32(Tag.STEP_DIRFDS) !== undefined;
  if (!root && !cwd && !creds && ns === undefined && !dirFdsSeen) return null;
  const s: Partial<TraceSnapshot> = {};
  const r = root && decodeWhere(root);
  const c = cwd && decodeWhere(cwd);
  if (r) s.root = stripFd(r);
  if (c) s.cwd = stripFd(c);
  if (dirFdsSeen) s.dirFds = dirFds;
  const decoded = creds && decodeCreds(creds);
  if (decoded) s.creds = decoded;
  if (ns !== undefined) s.ownNamespaces = ownNamespaces(ns);
  return s;
}

/** One MSG_TRACE_STEP, or null when it is not a step anyone could show. */
export function decodeStep(f: Frame, i: number): TraceStep | null {
  const call = f.str(Tag.STEP_CALL);
  const pid = f.u32(Tag.STEP_PID);
  const proc = PROCS[f.u8(Tag.STEP_PROC) ?? -1];
  if (!call || pid === undefined || !proc) return null;
  const result = f.i64(Tag.STEP_RESULT);
  const step: TraceStep = {
    i,
    pid,
    proc,
    call: text(Buffer.from(call), 40),
    args: f.all(Tag.STEP_ARG).slice(0, 8).map((a) => text(a)),
    result: result === undefined ? null : Number(result),
    errno: f.str(Tag.STEP_ERRNO)?.slice(0, 24) ?? null,
  };
  const path = f.bytes(Tag.W_PATH);
  const opened = f.bytes(Tag.W_OPENED);
  const target = f.bytes(Tag.W_TARGET);
  const p = path && decodeWhere(path);
  const o = opened && decodeWhere(opened);
  const t = target && decodeWhere(target);
  if (p) step.path = stripFd(p);
  if (o) step.opened = o;
  if (t) step.target = stripFd(t);
  const fds = f.all(Tag.W_PASSED).flatMap((b) => decodeWhere(b) ?? []).slice(0, 8);
  if (fds.length) step.fds = fds;
  const after = snapshotOf(f);
  if (after) step.after = after;
  const became = PROCS[f.u8(Tag.STEP_BECAME) ?? -1];
  if (became) step.became = became;
  const exe = f.bytes(Tag.STEP_EXE);
  if (exe) step.exe = text(exe);
  const note = f.bytes(Tag.STEP_NOTE);
  if (note) step.note = text(note);
  return step;
}

export interface TraceInfo {
  jail: string;
  /** Steps recorded whole, before the first one the agent left out. */
  wholeSteps: number;
  dropped: number;
  notes: string[];
  initial: TraceSnapshot | null;
  jailAtProbeStart: { items: JailItem[]; entries: number } | null;
}

export function decodeJailItem(b: Buffer): JailItem | null {
  if (b.byteLength < 3) return null;
  const kind = ITEM_KINDS[b.readUInt8(0)];
  const flags = b.readUInt8(1);
  const nul = b.indexOf(0, 2);
  if (!kind || nul < 0) return null;
  return {
    kind,
    path: text(b.subarray(2, nul)),
    detail: text(b.subarray(nul + 1), 80),
    nodev: (flags & JailItemFlag.NODEV) !== 0,
    nosuid: (flags & JailItemFlag.NOSUID) !== 0,
    secret: (flags & JailItemFlag.IS_SECRET) !== 0,
  };
}

export function decodeInfo(f: Frame): TraceInfo {
  const start = snapshotOf(f);
  const scanned = f.u32(Tag.JAIL_SCANNED);
  return {
    jail: text(f.bytes(Tag.TRACE_JAIL) ?? Buffer.from('/jail')),
    wholeSteps: f.u32(Tag.TRACE_STEPS) ?? 0,
    dropped: f.u32(Tag.TRACE_DROPPED) ?? 0,
    notes: f.all(Tag.TRACE_NOTE).slice(0, 6).map((n) => text(n)),
    initial: start?.root && start.cwd ? { ...start, root: start.root, cwd: start.cwd } : null,
    jailAtProbeStart: scanned === undefined ? null : { items: f.all(Tag.JAIL_ITEM).flatMap((b) => decodeJailItem(b) ?? []).slice(0, 32), entries: scanned },
  };
}

/** What one check's trace frames add up to, as they arrive. Bounded whatever the guest sends. */
export class TraceCollector {
  readonly steps: TraceStep[] = [];
  info: TraceInfo | null = null;
  private extra = 0;

  push(f: Frame): void {
    if (this.steps.length >= MAX_TRACE_STEPS) {
      this.extra++;
      return;
    }
    const step = decodeStep(f, this.steps.length);
    if (step) this.steps.push(step);
  }

  finish(f: Frame): void {
    this.info = decodeInfo(f);
  }

  /** Steps the guest sent beyond what the host keeps. */
  get overflow(): number {
    return this.extra;
  }
}
