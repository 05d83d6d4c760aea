import { type Accelerator, OutputFrameKind, type ShellCloseReason } from '@jaillab/protocol';
import type { SocketClient } from './socket-client.js';

export interface ShellSink {
  /** Progress while the shell is prepared (compiling, queue position, VM start). */
  status(message: string): void;
  opened(info: { accelerator: Accelerator; idleTimeoutMs: number }): void;
  /** Shell output; acknowledge `generation`'s bytes once on screen. */
  output(data: Uint8Array, generation: number): void;
  closed(reason: ShellCloseReason | 'connection-lost', message: string): void;
  /** Opening failed (compile error, not connected, …). Nothing more will arrive. */
  failed(message: string): void;
}

export interface ShellHandle {
  input(data: string): void;
  resize(cols: number, rows: number): void;
  close(): void;
}

interface Shell {
  sink: ShellSink;
  requestId: string;
  channel: number | null;
  done: boolean;
}

let counter = 0;

/**
 * Interactive shells over the socket. A shell lives on the socket that opened
 * it: when the connection drops the server closes it, and so do we.
 */
export class ShellStreams {
  private readonly byRequest = new Map<string, Shell>();
  private readonly byChannel = new Map<number, Shell>();

  constructor(private readonly socket: SocketClient) {
    socket.message.on((msg) => {
      if (msg.type === 'shell-status') this.byRequest.get(msg.requestId)?.sink.status(msg.message);
      else if (msg.type === 'shell-opened') {
        const shell = this.byRequest.get(msg.requestId);
        if (!shell) return;
        this.byRequest.delete(msg.requestId);
        shell.channel = msg.channel;
        this.byChannel.set(msg.channel, shell);
        if (shell.done) socket.send({ type: 'shell-close', channel: msg.channel });
        else shell.sink.opened({ accelerator: msg.accelerator, idleTimeoutMs: msg.idleTimeoutMs });
      } else if (msg.type === 'shell-closed') {
        const shell = this.byChannel.get(msg.channel);
        if (!shell) return;
        this.byChannel.delete(msg.channel);
        shell.done = true;
        shell.sink.closed(msg.reason, msg.message);
      } else if (msg.type === 'error' && msg.requestId !== undefined) {
        const shell = this.byRequest.get(msg.requestId);
        if (!shell) return;
        this.byRequest.delete(msg.requestId);
        shell.done = true;
        shell.sink.failed(msg.message);
      }
    });
    socket.output.on(({ frame, generation }) => {
      if (frame.kind !== OutputFrameKind.shellOutput) return;
      const shell = this.byChannel.get(frame.channel);
      if (shell) shell.sink.output(frame.data, generation);
      else socket.ack(frame.data.byteLength, generation);
    });
    socket.disconnected.on(() => {
      for (const shell of [...this.byRequest.values(), ...this.byChannel.values()]) {
        if (shell.done) continue;
        shell.done = true;
        shell.sink.closed('connection-lost', 'The connection to the server dropped, and the shell with it. Open a new one once the connection is back.');
      }
      this.byRequest.clear();
      this.byChannel.clear();
    });
  }

  open(lessonId: string, source: string, size: { cols: number; rows: number }, sink: ShellSink): ShellHandle {
    const shell: Shell = { sink, requestId: `s${Date.now().toString(36)}-${(++counter).toString(36)}`, channel: null, done: false };
    const cols = Math.max(2, Math.min(1000, size.cols));
    const rows = Math.max(2, Math.min(500, size.rows));
    if (this.socket.send({ type: 'shell-open', requestId: shell.requestId, lessonId, source, cols, rows })) this.byRequest.set(shell.requestId, shell);
    else {
      shell.done = true;
      queueMicrotask(() => sink.failed('Not connected to the JailLab server; the shell cannot start until the connection is back.'));
    }
    // Keystrokes are coalesced for a few ms: the socket is rate-limited per message, and a held-down key must not hit that.
    let typed = '';
    let flushTimer: number | undefined;
    const flush = (): void => {
      flushTimer = undefined;
      const data = typed;
      typed = '';
      if (shell.channel !== null && !shell.done) for (let i = 0; i < data.length; i += 8192) this.socket.send({ type: 'shell-input', channel: shell.channel, data: data.slice(i, i + 8192) });
    };
    return {
      input: (data) => {
        typed += data;
        flushTimer ??= window.setTimeout(flush, 8);
      },
      resize: (c, r) => {
        if (shell.channel !== null && !shell.done) this.socket.send({ type: 'shell-resize', channel: shell.channel, cols: Math.max(2, Math.min(1000, c)), rows: Math.max(2, Math.min(500, r)) });
      },
      close: () => {
        if (shell.done) return;
        shell.done = true;
        if (shell.channel !== null) this.socket.send({ type: 'shell-close', channel: shell.channel });
      },
    };
  }
}
