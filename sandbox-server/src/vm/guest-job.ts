import { randomBytes } from 'node:crypto';
import type { CheckPhases, LimitKind } from '@jaillab/protocol';
import { encodeFrame, type Field, FileKind, Msg, Tag, WireLimit } from './agent-wire.js';
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

export interface CheckRequest {
  index: number;
  probePath: string;
  probeName: string;
  secret: string;
  nonce: string;
  token: string;
  plants: string[];
  accomplices: string[];
  wallTimeMs: number;
  memoryBytes: number;
  processes: number;
  outputBytes: number;
  /** A race the accomplice wins on cue (the agent traces the program for it), or null. */
  race: 'jail-path' | null;
  /** The supplementary groups the jail program starts with (the lesson's world; empty: none). */
  groups: number[];
}

export interface CheckDone {
  index: number;
  /** null when the program was killed by a signal or never ran. */
  exitCode: number | null;
  signal: number | null;
  limit: LimitKind | null;
  wallMs: number;
  proof: Buffer | null;
  detail: string | null;
  phases: CheckPhases;
  /** For a race check: how the window was found and used, or why there was none. */
  raceNote: string | null;
  /** ptrace stops, when the program was traced. */
  traceStops: number;
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
    probeStartedMs: ms(f.u32(Tag.PROBE_STARTED_US)),
    killMs: ms(f.u32(Tag.KILL_US)),
    drainMs: ms(f.u32(Tag.DRAIN_US)) ?? 0,
  };
}

export class GuestJob {
  constructor(readonly vm: GuestVm) {}

  /** Sets the guest clock and mixes host entropy in: clones all wake with the template's clock and RNG. */
  async begin(timeoutMs = 10_000): Promise<void> {
    this.vm.channel.send(encodeFrame(Msg.JOB, [[Tag.TIME_NS, BigInt(Date.now()) * 1_000_000n], [Tag.ENTROPY, randomBytes(64)]]));
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
      [Tag.PROBE, req.probePath],
      [Tag.PROBE_NAME, req.probeName],
      [Tag.SECRET, req.secret],
      [Tag.NONCE, req.nonce],
      [Tag.TOKEN, req.token],
      [Tag.WALL_MS, req.wallTimeMs],
      [Tag.MEM_BYTES, req.memoryBytes],
      [Tag.PIDS, req.processes],
      [Tag.OUTPUT_BYTES, req.outputBytes],
      ...req.plants.map((p): Field => [Tag.PLANT, p]),
      ...req.accomplices.map((p): Field => [Tag.ACCOMPLICE, p]),
      ...(req.race ? [[Tag.RACE, req.race] as Field] : []),
      ...req.groups.map((g): Field => [Tag.GROUP, g]),
    ];
    this.vm.channel.send(encodeFrame(Msg.CHECK, fields));
  }

  /** Waits for a sent check (the earliest one not yet awaited) to finish, passing its output on. */
  async awaitCheck(req: CheckRequest, onOutput: OutputSink): Promise<CheckDone> {
    let deadline = Date.now() + req.wallTimeMs + WATCHDOG_SLACK_MS;
    let received = 0;
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
          this.vm.channel.pause();
          try {
            await slowDown;
          } finally {
            this.vm.channel.resume();
            deadline += Date.now() - paused;
          }
        }
      } else if (f.type === Msg.CHECK_DONE && f.u32(Tag.INDEX) === req.index) {
        const code = f.i32(Tag.EXIT_CODE) ?? -1;
        const signal = f.u32(Tag.SIGNAL) ?? 0;
        return {
          index: req.index,
          exitCode: code >= 0 ? code : null,
          signal: signal > 0 ? signal : null,
          limit: LIMITS[f.u8(Tag.LIMIT) ?? 0] ?? null,
          wallMs: f.u32(Tag.WALL_MS) ?? 0,
          proof: f.bytes(Tag.PROOF) ?? null,
          detail: f.str(Tag.DETAIL) ?? null,
          phases: phasesOf(f),
          raceNote: f.str(Tag.RACE_NOTE) ?? null,
          traceStops: f.u32(Tag.TRACE_STOPS) ?? 0,
        };
      } else if (f.type === Msg.ERROR) {
        throw new AgentError(f.str(Tag.MESSAGE) ?? 'the agent reported an error');
      } else {
        throw new AgentError(`unexpected message type ${f.type} from the agent`);
      }
    }
  }
}
