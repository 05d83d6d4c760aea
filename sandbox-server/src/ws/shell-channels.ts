import { type ClientMessage, type ErrorCode, OUTPUT_HIGH_WATER_BYTES, OUTPUT_LOW_WATER_BYTES, OutputFrameKind, type ServerMessage, type ShellCloseReason } from '@jaillab/protocol';
import type { LessonCatalog } from '../lessons/lesson-catalog.js';
import { ShellCompileError } from '../execution/shell-executor.js';
import { type OpenShell, type ShellService, ShellsBusyError } from '../shell/shell-service.js';
import { joinChunks, type OutputPump, type OutputStream, type PumpOutput } from './output-pump.js';

export type ShellMessage = Extract<ClientMessage, { type: 'shell-open' | 'shell-input' | 'shell-resize' | 'shell-close' }>;
type ReportError = (code: ErrorCode, message: string, requestId?: string) => void;

interface Deps {
  service: ShellService;
  catalog: LessonCatalog;
  send(msg: ServerMessage): void;
  /** The socket's output pump, shared with run output (and so its flow control). */
  pump: OutputPump;
  allocateChannel(): number;
}

/**
 * One shell's output on its channel. What the browser has not taken yet waits
 * here; above the high-water mark queue() hands the executor a promise, and it
 * stops reading the guest (the VM's port, or the runner's stream) instead of
 * this queue growing, until the promise settles below the low one.
 */
export class ShellStream implements OutputStream {
  shell: OpenShell | null = null;
  closed: { reason: ShellCloseReason; message: string } | null = null;
  private readonly pending: Buffer[] = [];
  private pendingBytes = 0;
  private caughtUp: { promise: Promise<void>; resolve: () => void } | null = null;

  constructor(
    private readonly channel: number,
    private readonly send: (msg: ServerMessage) => void,
    private readonly done: () => void,
  ) {}

  queue(data: Buffer): Promise<void> | undefined {
    if (data.byteLength > 0) {
      this.pending.push(data);
      this.pendingBytes += data.byteLength;
    }
    if (!this.caughtUp && this.pendingBytes > OUTPUT_HIGH_WATER_BYTES) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      this.caughtUp = { promise, resolve };
    }
    return this.caughtUp?.promise;
  }

  /** Bytes the browser has not been sent yet. */
  get backlog(): number {
    return this.pendingBytes;
  }

  drain(out: PumpOutput): boolean {
    // Output can arrive before shell-opened is sent (the shell prints its prompt at once): hold it until then.
    if (!this.shell) return false;
    while (this.pending.length > 0 && out.ready()) {
      const data = joinChunks(
        () => this.pending[0],
        () => this.pending.shift(),
      );
      this.pendingBytes -= data.byteLength;
      out.frame(OutputFrameKind.shellOutput, this.channel, 0, data);
    }
    if (this.caughtUp && this.pendingBytes <= OUTPUT_LOW_WATER_BYTES) this.readOn();
    if (!this.closed || this.pending.length > 0) return false;
    this.send({ type: 'shell-closed', channel: this.channel, reason: this.closed.reason, message: this.closed.message });
    this.done();
    return true;
  }

  /** Lets the executor read the guest again (caught up, or nobody will read any more). */
  readOn(): void {
    this.caughtUp?.resolve();
    this.caughtUp = null;
  }
}

/** The shells of one socket: opening, input, resize and close, and their output through the socket's pump. */
export class ShellChannels {
  private readonly channels = new Map<number, ShellStream>();
  private readonly opening = new Set<AbortController>();

  constructor(private readonly d: Deps) {}

  open(learnerId: string, msg: Extract<ShellMessage, { type: 'shell-open' }>, error: ReportError): void {
    const lesson = this.d.catalog.get(msg.lessonId);
    if (!lesson) return error('unknown-lesson', `there is no lesson "${msg.lessonId}"`, msg.requestId);
    const channel = this.d.allocateChannel();
    const stream = new ShellStream(channel, this.d.send, () => this.channels.delete(channel));
    this.channels.set(channel, stream);
    const abort = new AbortController();
    this.opening.add(abort);
    const listener = {
      output: (data: Buffer) => {
        const slowDown = stream.queue(data);
        this.d.pump.schedule();
        return slowDown;
      },
      closed: (reason: ShellCloseReason, message: string) => {
        stream.closed = { reason, message };
        stream.readOn();
        this.d.pump.schedule();
      },
    };
    this.d.service.open(learnerId, lesson, msg.source, { cols: msg.cols, rows: msg.rows }, listener, (m) => this.d.send({ type: 'shell-status', requestId: msg.requestId, message: m }), abort.signal).then(
      (shell) => {
        this.opening.delete(abort);
        stream.shell = shell;
        if (abort.signal.aborted) return shell.close('closed', 'The page went away.');
        this.d.send({ type: 'shell-opened', requestId: msg.requestId, channel, accelerator: shell.accelerator, idleTimeoutMs: shell.idleTimeoutMs });
        this.d.pump.add(channel, stream);
      },
      (e: Error) => {
        this.opening.delete(abort);
        this.channels.delete(channel);
        if (abort.signal.aborted) return;
        if (e instanceof ShellCompileError) return error('compile-error', e.message, msg.requestId);
        if (e instanceof ShellsBusyError) return error('busy', e.message, msg.requestId);
        error('internal', `The shell could not start: ${e.message}`, msg.requestId);
      },
    );
  }

  /** Input, resize or close for an open shell of this socket. */
  control(msg: Exclude<ShellMessage, { type: 'shell-open' }>, error: ReportError): void {
    const stream = this.channels.get(msg.channel);
    if (!stream?.shell || stream.closed) return error('unknown-shell', 'that shell is closed');
    if (msg.type === 'shell-input') stream.shell.input(msg.data);
    else if (msg.type === 'shell-resize') stream.shell.resize(msg.cols, msg.rows);
    else stream.shell.close('closed', 'You closed the shell.');
  }

  /** The socket is gone: its shells go too (a shell belongs to the tab that opened it). */
  closeAll(reason: ShellCloseReason): void {
    for (const a of this.opening) a.abort();
    for (const s of this.channels.values()) s.shell?.close(reason, 'The page closed.');
    this.channels.clear();
  }
}
