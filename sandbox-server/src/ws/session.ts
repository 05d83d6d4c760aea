import { ClientMessage, encodeOutputFrame, type ErrorCode, MAX_SOURCE_BYTES, type ServerMessage } from '@jaillab/protocol';
import type { RawData, WebSocket } from 'ws';
import { DEFAULT_LIMITS } from '../lessons/lesson.js';
import type { LessonCatalog } from '../lessons/lesson-catalog.js';
import type { Run } from '../runs/run.js';
import { ProbeCompileError, type RunService } from '../runs/run-service.js';
import { timingSafeEqual } from 'node:crypto';
import type { Learner, Store } from '../store/store.js';
import type { VmBackend } from '../vm/vm-backend.js';
import { FlowControl, MAX_BUFFERED, MAX_FRAME_DATA } from './flow-control.js';
import { TokenBucket } from './rate-limit.js';
import type { ShellService } from '../shell/shell-service.js';
import { ShellChannels } from './shell-channels.js';
import { handleWorkspaceMessage, isWorkspaceMessage } from './workspace-handlers.js';
import type { RunRateLimits } from './run-rate-limits.js';

export interface SessionDeps {
  store: Store;
  runs: RunService;
  catalog: LessonCatalog;
  backend: VmBackend;
  instructorToken: string;
  shells: ShellService;
  /** Shared by all sockets: runs started per learner and per address. */
  runLimits: RunRateLimits;
  log: (line: string) => void;
}

interface Subscription {
  run: Run;
  channel: number;
  cursor: number;
  unsubscribe: () => void;
}

const HELLO_TIMEOUT_MS = 10_000;
/** A client that keeps flooding after being told it is rate limited is cut off. */
const MAX_DROPPED = 2000;

/**
 * One browser tab's socket: a learner (after `hello`), the runs it watches,
 * and flow control over their output. Every message in is validated; a bad one
 * gets an `error` reply and changes nothing.
 */
export class SocketSession {
  private learner: Learner | null = null;
  private instructor = false;
  private readonly subs = new Map<number, Subscription>();
  private nextChannel = 1;
  private readonly flow = new FlowControl();
  private readonly bucket = new TokenBucket(30, 120);
  private dropped = 0;
  /** Output frames sent and not yet answered by an ack: that many acks skip the message bucket. */
  private acksOwed = 0;
  private lastRateLimitNotice = 0;
  private pumpScheduled = false;
  private closed = false;
  private readonly helloTimer: NodeJS.Timeout;
  /** Interactive shells on this socket; their output shares the socket's flow control. */
  private readonly shells: ShellChannels;

  constructor(
    private readonly ws: WebSocket,
    private readonly deps: SessionDeps,
    /** The peer's address, for the per-address limits. */
    private readonly address: string,
  ) {
    this.helloTimer = setTimeout(() => {
      if (!this.learner) ws.close(1008, 'no hello');
    }, HELLO_TIMEOUT_MS);
    this.shells = new ShellChannels({
      service: deps.shells,
      catalog: deps.catalog,
      send: (m) => this.send(m),
      sendBinary: (b) => this.sendFrame(b),
      flow: this.flow,
      bufferedAmount: () => this.ws.bufferedAmount,
      allocateChannel: () => this.nextChannel++,
    });
    ws.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    ws.on('close', () => this.dispose());
    ws.on('error', () => this.dispose());
  }

  private send(msg: ServerMessage): void {
    if (!this.closed) this.ws.send(JSON.stringify(msg));
  }

  private error(code: ErrorCode, message: string, requestId?: string): void {
    this.send({ type: 'error', code, message, ...(requestId ? { requestId } : {}) });
  }

  private sendFrame(frame: Uint8Array): void {
    if (this.closed) return;
    this.ws.send(frame);
    this.acksOwed++;
  }

  /**
   * An ack for a frame we sent is never rate limited: dropping it would leave
   * the stream paused for good (a client that acks every small frame of a live
   * run can send more than the bucket's burst). Only acks we are owed pass;
   * any beyond that are charged like every other message.
   */
  private isOwedAck(data: RawData, isBinary: boolean): boolean {
    if (isBinary || this.acksOwed === 0 || !Buffer.isBuffer(data) || data.byteLength > 96) return false;
    try {
      return (JSON.parse(data.toString()) as { type?: unknown } | null)?.type === 'ack';
    } catch {
      return false;
    }
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    if (this.isOwedAck(data, isBinary)) this.acksOwed--;
    else if (!this.bucket.take()) {
      this.dropped++;
      if (this.dropped > MAX_DROPPED) this.ws.close(1008, 'too many messages');
      else if (Date.now() - this.lastRateLimitNotice > 1000) {
        this.lastRateLimitNotice = Date.now();
        this.error('rate-limited', 'too many messages: slow down');
      }
      return;
    }
    if (isBinary) return this.error('bad-message', 'binary messages are not accepted: send JSON text');
    let json: unknown;
    try {
      json = JSON.parse(data.toString());
    } catch {
      return this.error('bad-message', 'not valid JSON');
    }
    const parsed = ClientMessage.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const requestId = typeof (json as { requestId?: unknown })?.requestId === 'string' ? (json as { requestId: string }).requestId.slice(0, 64) : undefined;
      if (issue?.path[0] === 'source' && issue.message.includes('larger')) return this.error('source-too-large', `your program is larger than ${MAX_SOURCE_BYTES >> 10} KiB`, requestId);
      return this.error('bad-message', issue ? `${issue.path.join('.') || 'message'}: ${issue.message}` : 'invalid message', requestId);
    }
    try {
      this.handle(parsed.data);
    } catch (e) {
      this.deps.log(`socket: ${(e as Error).stack ?? e}`);
      this.error('internal', 'the server could not handle that message');
    }
  }

  private handle(msg: ClientMessage): void {
    if (msg.type === 'hello') return this.hello(msg.learnerToken, msg.instructorToken);
    if (msg.type === 'ack') {
      if (this.flow.acked(msg.bytes)) {
        this.schedulePump();
        this.shells.pump();
      }
      return;
    }
    if (!this.learner) return this.error('not-hello', 'say hello first');
    if (isWorkspaceMessage(msg))
      return handleWorkspaceMessage(this.learner.id, msg, { store: this.deps.store, catalog: this.deps.catalog, send: (m) => this.send(m), error: (c, m, r) => this.error(c, m, r) });
    if (this.shells.handles(msg)) {
      // A shell costs a VM like a run does, so opening one draws on the same budget.
      if (msg.type === 'shell-open') {
        const refusal = this.deps.runLimits.refuse(this.learner.id, this.address);
        if (refusal) return this.error('rate-limited', refusal, msg.requestId);
      }
      return this.shells.handle(this.learner.id, msg, (c, m, r) => this.error(c, m, r));
    }
    switch (msg.type) {
      case 'run': {
        const lesson = this.deps.catalog.get(msg.lessonId);
        if (!lesson) return this.error('unknown-lesson', `there is no lesson "${msg.lessonId}"`, msg.requestId);
        const refusal = this.deps.runLimits.refuse(this.learner.id, this.address);
        if (refusal) return this.error('rate-limited', refusal, msg.requestId);
        if (!msg.extraProbes?.length) return this.subscribe(this.deps.runs.start(this.learner.id, lesson, msg.source), msg.requestId);
        if (!this.instructor) return this.error('forbidden', 'extra probes are for instructors', msg.requestId);
        const learnerId = this.learner.id;
        void this.deps.runs.startWithExtraProbes(learnerId, lesson, msg.source, msg.extraProbes).then(
          (run) => this.subscribe(run, msg.requestId),
          (e: Error) => this.error(e instanceof ProbeCompileError ? 'probe-compile-error' : 'internal', e.message, msg.requestId),
        );
        return;
      }
      case 'watch': {
        const run = this.deps.runs.get(msg.runId);
        // A run is only visible to the learner who started it (instructors will get their own view).
        if (!run || run.learnerId !== this.learner.id) {
          // Not in memory: a run the last shutdown cut off says so (its log is gone; the code is saved).
          if (this.deps.store.runOutcome(this.learner.id, msg.runId)?.outcome === 'interrupted')
            return this.error('run-interrupted', 'This run was interrupted: the server restarted while it was in progress. Your code is safe; press Run again.', msg.requestId);
          return this.error('unknown-run', 'no such run (it may have expired)', msg.requestId);
        }
        return this.subscribe(run, msg.requestId);
      }
      case 'cancel': {
        const run = this.deps.runs.get(msg.runId);
        if (run && run.learnerId === this.learner.id) this.deps.runs.cancel(run.id);
        return;
      }
    }
  }

  private hello(token: string | undefined, instructorToken: string | undefined): void {
    if (this.learner) return this.error('bad-message', 'hello was already said on this socket');
    if (instructorToken !== undefined) {
      const a = Buffer.from(instructorToken);
      const b = Buffer.from(this.deps.instructorToken);
      if (a.byteLength !== b.byteLength || !timingSafeEqual(a, b)) return this.error('forbidden', 'wrong instructor token');
      this.instructor = true;
    }
    let learner = token ? this.deps.store.findLearner(token) : null;
    let newToken: string | undefined;
    if (!learner) {
      const created = this.deps.store.createLearner();
      learner = created.learner;
      newToken = created.token;
    }
    this.learner = learner;
    clearTimeout(this.helloTimer);
    this.send({
      type: 'welcome',
      learnerId: learner.id,
      ...(newToken ? { learnerToken: newToken } : {}),
      instructor: this.instructor,
      accelerator: this.deps.backend.stats().accelerator,
      limits: {
        maxSourceBytes: MAX_SOURCE_BYTES,
        wallTimeMsPerCheck: DEFAULT_LIMITS.wallTimeMs,
        memoryBytes: DEFAULT_LIMITS.memoryBytes,
        processes: DEFAULT_LIMITS.processes,
        outputBytesPerCheck: DEFAULT_LIMITS.outputBytes,
      },
    });
  }

  private subscribe(run: Run, requestId: string): void {
    const channel = this.nextChannel++;
    const sub: Subscription = { run, channel, cursor: 0, unsubscribe: () => {} };
    sub.unsubscribe = run.log.onAppend(() => this.schedulePump());
    this.subs.set(channel, sub);
    this.send({ type: 'run-accepted', requestId, runId: run.id, channel });
    this.schedulePump();
  }

  private schedulePump(): void {
    if (this.pumpScheduled || this.closed) return;
    this.pumpScheduled = true;
    // Coalesce: a burst of appends becomes one pass, and output chunks merge into larger frames.
    setImmediate(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    for (const sub of this.subs.values()) {
      const entries = sub.run.log.entries;
      while (sub.cursor < entries.length) {
        if (this.flow.isPaused) return;
        if (this.ws.bufferedAmount > MAX_BUFFERED) {
          setTimeout(() => this.schedulePump(), 20);
          return;
        }
        const entry = entries[sub.cursor]!;
        if (entry.kind === 'event') {
          this.send({ type: 'run-event', channel: sub.channel, seq: entry.seq, event: entry.event });
          sub.cursor++;
          continue;
        }
        const parts: Buffer[] = [];
        let size = 0;
        while (sub.cursor < entries.length) {
          const next = entries[sub.cursor]!;
          if (next.kind !== 'output' || next.checkIndex !== entry.checkIndex || size + next.data.byteLength > MAX_FRAME_DATA) break;
          parts.push(next.data);
          size += next.data.byteLength;
          sub.cursor++;
        }
        if (parts.length === 0) {
          // A single chunk larger than a frame: send it alone.
          parts.push(entry.data);
          size = entry.data.byteLength;
          sub.cursor++;
        }
        this.sendFrame(encodeOutputFrame({ channel: sub.channel, checkIndex: entry.checkIndex, data: Buffer.concat(parts) }));
        this.flow.sent(size);
      }
      if (sub.run.outcome) {
        sub.unsubscribe();
        this.subs.delete(sub.channel);
        // The run may have changed the lesson's status: the outline shows it without asking.
        if (this.learner && sub.run.learnerId === this.learner.id) this.send({ type: 'progress', lessons: this.deps.store.progress(this.learner.id) });
      }
    }
  }

  private dispose(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.helloTimer);
    for (const sub of this.subs.values()) sub.unsubscribe();
    this.subs.clear();
    this.shells.closeAll('closed');
  }
}
