import { type ClientMessage, encodeOutputFrame, type ErrorCode, OUTPUT_HIGH_WATER_BYTES, OUTPUT_LOW_WATER_BYTES, OutputFrameKind, type ServerMessage, type ShellCloseReason } from '@jaillab/protocol';
import type { LessonCatalog } from '../lessons/lesson-catalog.js';
import { type OpenShell, ShellCompileError, type ShellService, ShellsBusyError } from '../shell/shell-service.js';
import { type FlowControl, MAX_BUFFERED, MAX_FRAME_DATA } from './flow-control.js';

type ShellMessage = Extract<ClientMessage, { type: 'shell-open' | 'shell-input' | 'shell-resize' | 'shell-close' }>;

interface Deps {
  service: ShellService;
  catalog: LessonCatalog;
  send(msg: ServerMessage): void;
  sendBinary(frame: Uint8Array): void;
  /** The socket's flow control, shared with run output. */
  flow: FlowControl;
  bufferedAmount(): number;
  allocateChannel(): number;
}

interface Channel {
  shell: OpenShell | null;
  /** Output not yet sent to the browser (flow control paused, or the socket's buffer full). */
  pending: Buffer[];
  pendingBytes: number;
  guestPaused: boolean;
  closed: { reason: ShellCloseReason; message: string } | null;
}


/**
 * The shells of one socket. A shell's output is queued here and sent under
 * the socket's flow control; when the browser falls behind, the queue stops
 * taking from the guest (the VM's port is paused) instead of growing.
 */
export class ShellChannels {
  private readonly channels = new Map<number, Channel>();
  private readonly opening = new Set<AbortController>();
  private pumpTimer: NodeJS.Timeout | null = null;

  constructor(private readonly d: Deps) {}

  handles(msg: ClientMessage): msg is ShellMessage {
    return msg.type.startsWith('shell-');
  }

  handle(learnerId: string, msg: ShellMessage, error: (code: ErrorCode, message: string, requestId?: string) => void): void {
    if (msg.type === 'shell-open') return this.open(learnerId, msg, error);
    const ch = this.channels.get(msg.channel);
    if (!ch?.shell || ch.closed) return error('unknown-shell', 'that shell is closed');
    if (msg.type === 'shell-input') ch.shell.input(msg.data);
    else if (msg.type === 'shell-resize') ch.shell.resize(msg.cols, msg.rows);
    else ch.shell.close('closed', 'You closed the shell.');
  }

  private open(learnerId: string, msg: Extract<ShellMessage, { type: 'shell-open' }>, error: (code: ErrorCode, message: string, requestId?: string) => void): void {
    const lesson = this.d.catalog.get(msg.lessonId);
    if (!lesson) return error('unknown-lesson', `there is no lesson "${msg.lessonId}"`, msg.requestId);
    const channel = this.d.allocateChannel();
    const ch: Channel = { shell: null, pending: [], pendingBytes: 0, guestPaused: false, closed: null };
    this.channels.set(channel, ch);
    const abort = new AbortController();
    this.opening.add(abort);
    const listener = {
      output: (data: Buffer) => this.queue(ch, data),
      closed: (reason: ShellCloseReason, message: string) => {
        ch.closed = { reason, message };
        this.pump();
      },
    };
    this.d.service.open(learnerId, lesson, msg.source, { cols: msg.cols, rows: msg.rows }, listener, (m) => this.d.send({ type: 'shell-status', requestId: msg.requestId, message: m }), abort.signal).then(
      (shell) => {
        this.opening.delete(abort);
        ch.shell = shell;
        if (abort.signal.aborted) return shell.close('closed', 'The page went away.');
        this.d.send({ type: 'shell-opened', requestId: msg.requestId, channel, accelerator: shell.accelerator, idleTimeoutMs: shell.idleTimeoutMs });
        this.pump();
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

  private queue(ch: Channel, data: Buffer): void {
    if (data.byteLength === 0) return;
    ch.pending.push(data);
    ch.pendingBytes += data.byteLength;
    if (!ch.guestPaused && ch.pendingBytes > OUTPUT_HIGH_WATER_BYTES) {
      ch.guestPaused = true;
      ch.shell?.pause();
    }
    this.pump();
  }

  /** Sends what is queued, as far as flow control allows; called again on every ack. */
  pump(): void {
    for (const [channel, ch] of this.channels) {
      // Output can arrive before shell-opened is sent (the shell prints its prompt at once): hold it until then.
      if (!ch.shell) continue;
      while (ch.pending.length > 0) {
        if (this.d.flow.isPaused) return;
        if (this.d.bufferedAmount() > MAX_BUFFERED) {
          this.pumpTimer ??= setTimeout(() => {
            this.pumpTimer = null;
            this.pump();
          }, 20);
          return;
        }
        const parts: Buffer[] = [];
        let size = 0;
        while (ch.pending.length > 0 && (size === 0 || size + ch.pending[0]!.byteLength <= MAX_FRAME_DATA)) {
          const next = ch.pending.shift()!;
          parts.push(next);
          size += next.byteLength;
        }
        ch.pendingBytes -= size;
        this.d.sendBinary(encodeOutputFrame({ kind: OutputFrameKind.shellOutput, channel, checkIndex: 0, data: Buffer.concat(parts) }));
        this.d.flow.sent(size);
      }
      if (ch.guestPaused && ch.pendingBytes <= OUTPUT_LOW_WATER_BYTES) {
        ch.guestPaused = false;
        ch.shell.resume();
      }
      if (ch.closed && ch.pending.length === 0) {
        this.channels.delete(channel);
        this.d.send({ type: 'shell-closed', channel, reason: ch.closed.reason, message: ch.closed.message });
      }
    }
  }

  /** The socket is gone: its shells go too (a shell belongs to the tab that opened it). */
  closeAll(reason: ShellCloseReason): void {
    if (this.pumpTimer) clearTimeout(this.pumpTimer);
    for (const a of this.opening) a.abort();
    for (const ch of this.channels.values()) ch.shell?.close(reason, 'The page closed.');
    this.channels.clear();
  }
}
