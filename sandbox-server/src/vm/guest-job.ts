import { randomBytes } from 'node:crypto';
import type { CheckPhases, LimitKind, TraceStep } from '@jaillab/protocol';
import { AccompliceStarts, encodeFrame, type Field, FileKind, Msg, Tag, WireLimit } from './agent-wire.js';
import { TraceCollector, type TraceInfo } from './trace-frames.js';
import type { GuestVm } from './vm-backend.js';

/**
 * One job's conversation with the guest agent: the job header, the staged
 * files, then one check at a time. Paths of staged files are relative to the
 * agent's staging area (/run/jaillab): `jailer`, `probes/<id>`,
 * `accomplices/<id>`, `tree/<path in the jail>`.
 */

export interface StagedFile {
  path: string;
  /** preloaded: `data` is the sha256 (hex) of a file the VM's template already holds; the agent links that one. */
  kind: 'file' | 'dir' | 'symlink' | 'preloaded';
  mode: number;
  data: Buffer;
}

/** A binary the agent runs or recognises: where it is staged, and its bytes' sha256 (hex). */
export interface StagedBinary {
  path: string;
  sha256: string;
  size: number;
}

export interface CheckAccomplice extends StagedBinary {
  /** before-program: it prepares the world; with-probe: started once the probe has, in the check's namespaces (accomplices.h). */
  starts: 'before-program' | 'with-probe';
}

export interface CheckRequest {
  index: number;
  /** The probe: the agent installs it in the jail, and takes only an exec of exactly these bytes for the probe. */
  probe: StagedBinary;
  probeName: string;
  secret: string;
  nonce: string;
  token: string;
  plants: string[];
  accomplices: CheckAccomplice[];
  wallTimeMs: number;
  memoryBytes: number;
  processes: number;
  outputBytes: number;
  /** A race the accomplice wins on cue (the agent traces the program for it), or null. */
  race: 'jail-path' | null;
  /** The supplementary groups the jail program starts with (the lesson's world; empty: none). */
  groups: number[];
  /** Record the escape replay of this check (the agent traces the program and the probe). */
  trace: boolean;
}

/** A check's escape replay as the agent sent it (trace-frames.ts). */
export interface RawTrace {
  steps: TraceStep[];
  /** null when the agent sent no info frame (it never traced the program: it did not start). */
  info: TraceInfo | null;
  /** Steps the guest sent beyond what the host keeps. */
  overflow: number;
}

/** What the agent saw of the genuine probe, from the kernel (probe_watch.h). */
export interface ProbeSeen {
  /** The genuine probe was exec'd (its bytes were the host's). */
  started: boolean;
  /** How the probe's own process ended, when it ended by itself (null: it did not, or never started). */
  exit: { code: number | null; signal: number | null } | null;
  /** Bytes of the check's output written before the probe started: only what follows is the probe's. */
  outputAt: number;
  /** A program exec'd under the probe's name that was not the probe (its path in the VM), else null. */
  impostor: string | null;
  /** Why the check cannot be judged: what the program did to the probe or its world, else null. */
  voided: string | null;
  /** The check's other processes the agent held while the probe ran. */
  held: number;
}

export interface CheckDone {
  index: number;
  /** How the jail program's process ended (null when it was killed by a signal or never ran). */
  exitCode: number | null;
  signal: number | null;
  probe: ProbeSeen;
  limit: LimitKind | null;
  wallMs: number;
  proof: Buffer | null;
  detail: string | null;
  phases: CheckPhases;
  /** For a race check: how the window was found and used, or why there was none. */
  raceNote: string | null;
  /** ptrace stops, when the program was traced. */
  traceStops: number;
  /** The escape replay, when the check asked for it. */
  trace: RawTrace | null;
}

export class AgentError extends Error {}

/** Takes a check's output; a promise back means "stop reading the guest until this settles". */
export type OutputSink = (data: Buffer) => Promise<void> | void;

const LIMITS: Record<number, LimitKind | null> = {
  [WireLimit.NONE]: null,
  [WireLimit.TIME]: 'time',
  [WireLimit.MEMORY]: 'memory',
  [WireLimit.PROCESSES]: 'processes',
  [WireLimit.OUTPUT]: 'output',
};

const KINDS = { file: FileKind.FILE, dir: FileKind.DIR, symlink: FileKind.SYMLINK, preloaded: FileKind.PRELOADED } as const;

/** Extra time the host allows beyond a check's own wall limit before it calls the VM unresponsive (TCG is slow to start processes). */
const WATCHDOG_SLACK_MS = 10_000;

const ms = (us: number | undefined): number | null => (us === undefined ? null : Math.round(us / 10) / 100);

function phasesOf(f: { u32(tag: number): number | undefined }): CheckPhases {
  return {
    prepareMs: ms(f.u32(Tag.PREPARE_US)) ?? 0,
    straysMs: ms(f.u32(Tag.STRAYS_US)) ?? 0,
    baselineMs: ms(f.u32(Tag.BASELINE_US)) ?? 0,
    worldMs: ms(f.u32(Tag.WORLD_US)) ?? 0,
    accomplicesMs: ms(f.u32(Tag.ACCOMPLICES_US)) ?? 0,
    namespacesMs: ms(f.u32(Tag.NAMESPACES_US)) ?? 0,
    programExecMs: ms(f.u32(Tag.PROGRAM_EXEC_US)),
    probeStartedMs: ms(f.u32(Tag.PROBE_STARTED_US)),
    probeReleasedMs: ms(f.u32(Tag.PROBE_RELEASED_US)),
    killMs: ms(f.u32(Tag.KILL_US)),
    drainMs: ms(f.u32(Tag.DRAIN_US)) ?? 0,
  };
}

/** T_PROBE_SHA256: the digest, then the size as a u64. */
function binaryIdentity(b: StagedBinary): Buffer {
  const size = Buffer.alloc(8);
  size.writeBigUInt64LE(BigInt(b.size));
  return Buffer.concat([Buffer.from(b.sha256, 'hex'), size]);
}

function probeSeen(f: { u32(tag: number): number | undefined; bytes(tag: number): Buffer | undefined; str(tag: number): string | undefined }): ProbeSeen {
  const ended = f.bytes(Tag.PROBE_EXIT);
  const outputAt = f.u32(Tag.PROBE_OUTPUT_AT);
  return {
    started: outputAt !== undefined,
    exit:
      ended && ended.byteLength === 8
        ? { code: ended.readInt32LE(0) >= 0 ? ended.readInt32LE(0) : null, signal: ended.readUInt32LE(4) > 0 ? ended.readUInt32LE(4) : null }
        : null,
    outputAt: outputAt ?? 0,
    impostor: f.str(Tag.IMPOSTOR) ?? null,
    voided: f.str(Tag.VOID) ?? null,
    held: f.u32(Tag.HELD) ?? 0,
  };
}

export class GuestJob {
  constructor(readonly vm: GuestVm) {}

  /** Sets the guest clock and mixes host entropy in: clones all wake with the template's clock and RNG. */
  async begin(timeoutMs = 10_000): Promise<void> {
    // The key the agent signs every frame of this job with: nothing the learner's program writes to the port counts.
    const key = randomBytes(32);
    this.vm.channel.send(encodeFrame(Msg.JOB, [[Tag.TIME_NS, BigInt(Date.now()) * 1_000_000n], [Tag.ENTROPY, randomBytes(64)], [Tag.KEY, key]]));
    this.vm.channel.authenticate(key);
    const reply = await this.vm.channel.receive(Date.now() + timeoutMs);
    if (reply.type === Msg.ERROR) throw new AgentError(reply.str(Tag.MESSAGE) ?? 'the agent refused the job');
    if (reply.type !== Msg.JOB_READY) throw new AgentError(`the agent answered the job with message type ${reply.type}`);
  }

  /** Sends files to stage; returns the bytes sent. The agent takes them in order, without answering. */
  stage(files: StagedFile[]): number {
    let bytes = 0;
    for (const f of files) {
      const frame = encodeFrame(Msg.FILE, [[Tag.PATH, f.path], [Tag.KIND, KINDS[f.kind]], [Tag.MODE, f.mode], [Tag.DATA, f.data]]);
      bytes += frame.byteLength;
      this.vm.channel.send(frame);
    }
    return bytes;
  }

  /** Resolves once the agent has handled everything sent before (the staged files): one round trip. */
  async sync(timeoutMs = 30_000): Promise<void> {
    this.vm.channel.send(encodeFrame(Msg.SYNC, []));
    const reply = await this.vm.channel.receive(Date.now() + timeoutMs);
    if (reply.type === Msg.ERROR) throw new AgentError(reply.str(Tag.MESSAGE) ?? 'the agent refused a staged file');
    if (reply.type !== Msg.SYNCED) throw new AgentError(`the agent answered a sync with message type ${reply.type}`);
  }

  async runCheck(req: CheckRequest, onOutput: OutputSink): Promise<CheckDone> {
    this.sendCheck(req);
    return this.awaitCheck(req, onOutput);
  }

  /**
   * Sends a check without waiting for it: the agent takes it up as soon as the one before is done, so a
   * run that sends the next check ahead saves a host round trip per check.
   */
  sendCheck(req: CheckRequest): void {
    const fields: Field[] = [
      [Tag.INDEX, req.index],
      [Tag.PROBE, req.probe.path],
      [Tag.PROBE_SHA256, binaryIdentity(req.probe)],
      [Tag.PROBE_NAME, req.probeName],
      [Tag.SECRET, req.secret],
      [Tag.NONCE, req.nonce],
      [Tag.TOKEN, req.token],
      [Tag.WALL_MS, req.wallTimeMs],
      [Tag.MEM_BYTES, req.memoryBytes],
      [Tag.PIDS, req.processes],
      [Tag.OUTPUT_BYTES, req.outputBytes],
      ...req.plants.map((p): Field => [Tag.PLANT, p]),
      ...req.accomplices.map((a): Field => [
        Tag.ACCOMPLICE,
        Buffer.concat([Buffer.from([a.starts === 'with-probe' ? AccompliceStarts.WITH_PROBE : AccompliceStarts.BEFORE_PROGRAM]), Buffer.from(a.sha256, 'hex'), Buffer.from(a.path)]),
      ]),
      ...(req.race ? [[Tag.RACE, req.race] as Field] : []),
      ...(req.trace ? [[Tag.TRACE, 1] as Field] : []),
      ...req.groups.map((g): Field => [Tag.GROUP, g]),
    ];
    this.vm.channel.send(encodeFrame(Msg.CHECK, fields));
  }

  /** Waits for a sent check (the earliest one not yet awaited) to finish, passing its output on. */
  async awaitCheck(req: CheckRequest, onOutput: OutputSink): Promise<CheckDone> {
    let deadline = Date.now() + req.wallTimeMs + WATCHDOG_SLACK_MS;
    let received = 0;
    const trace = req.trace ? new TraceCollector() : null;
    for (;;) {
      const f = await this.vm.channel.receive(deadline);
      if (f.type === Msg.OUTPUT && f.u32(Tag.INDEX) === req.index) {
        const data = f.bytes(Tag.DATA) ?? Buffer.alloc(0);
        // The agent enforces the output limit; the host does too, in case the guest is not behaving.
        received += data.byteLength;
        if (received > req.outputBytes + 65536) throw new AgentError('the guest sent more output than the limit allows');
        const slowDown = onOutput(Buffer.from(data));
        if (slowDown) {
          // Whoever takes the output is behind: stop reading the port until they catch up, so the guest's
          // writes wait (QEMU stops taking bytes) instead of piling up here. The wait is not the guest's fault.
          const paused = Date.now();
          try {
            await this.vm.channel.pausedUntil(slowDown);
          } finally {
            deadline += Date.now() - paused;
          }
        }
      } else if ((f.type === Msg.TRACE_STEP || f.type === Msg.TRACE_INFO) && f.u32(Tag.INDEX) === req.index) {
        if (!trace) throw new AgentError('the guest sent an escape replay for a check that was not traced');
        if (f.type === Msg.TRACE_STEP) trace.push(f);
        else trace.finish(f);
      } else if (f.type === Msg.CHECK_DONE && f.u32(Tag.INDEX) === req.index) {
        const code = f.i32(Tag.EXIT_CODE) ?? -1;
        const signal = f.u32(Tag.SIGNAL) ?? 0;
        return {
          index: req.index,
          exitCode: code >= 0 ? code : null,
          signal: signal > 0 ? signal : null,
          probe: probeSeen(f),
          limit: LIMITS[f.u8(Tag.LIMIT) ?? 0] ?? null,
          wallMs: f.u32(Tag.WALL_MS) ?? 0,
          proof: f.bytes(Tag.PROOF) ?? null,
          detail: f.str(Tag.DETAIL) ?? null,
          phases: phasesOf(f),
          raceNote: f.str(Tag.RACE_NOTE) ?? null,
          traceStops: f.u32(Tag.TRACE_STOPS) ?? 0,
          trace: trace ? { steps: trace.steps, info: trace.info, overflow: trace.overflow } : null,
        };
      } else if (f.type === Msg.ERROR) {
        throw new AgentError(f.str(Tag.MESSAGE) ?? 'the agent reported an error');
      } else {
        throw new AgentError(`unexpected message type ${f.type} from the agent`);
      }
    }
  }
}
