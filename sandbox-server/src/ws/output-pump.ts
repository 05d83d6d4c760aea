import { encodeOutputFrame, type OutputFrameKind, type ServerMessage } from '@jaillab/protocol';
import { type FlowControl, MAX_BUFFERED, MAX_FRAME_DATA } from './flow-control.js';

/** What a stream sends through: one socket, under its flow control. */
export interface PumpOutput {
  /** Whether another frame or message may go now: flow control is open and the socket's own buffer is not full. */
  ready(): boolean;
  frame(kind: OutputFrameKind, channel: number, checkIndex: number, data: Buffer): void;
  message(msg: ServerMessage): void;
}

/** One channel's output (a run being watched, an open shell). */
export interface OutputStream {
  /** Sends what it has, as long as `out.ready()`. Returns true once the stream is finished and can be dropped. */
  drain(out: PumpOutput): boolean;
}

export interface PumpSocket {
  send(msg: ServerMessage): void;
  sendFrame(frame: Uint8Array): void;
  bufferedAmount(): number;
}

/** When the socket's buffer is full, look again after this long (there is no event for it draining). */
const BUFFER_RETRY_MS = 20;

/**
 * Joins chunks from the front of a queue into one frame's data: as many as fit
 * in MAX_FRAME_DATA, or a single larger chunk alone. `peek` returns the next
 * chunk that may join (undefined ends the frame), `take` consumes it.
 */
export function joinChunks(peek: () => Buffer | undefined, take: () => void): Buffer {
  const parts: Buffer[] = [];
  let size = 0;
  for (let next = peek(); next !== undefined; next = peek()) {
    if (parts.length > 0 && size + next.byteLength > MAX_FRAME_DATA) break;
    parts.push(next);
    size += next.byteLength;
    take();
  }
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts, size);
}

/**
 * The one output pump of a socket, for run output and shell output alike:
 * streams are drained in turn while flow control (acks from the browser) and
 * the socket's buffer allow. Passes are coalesced — a burst of appends becomes
 * one pass, and small chunks merge into larger frames.
 */
export class OutputPump {
  private readonly streams = new Map<number, OutputStream>();
  private scheduled = false;
  private retry: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly out: PumpOutput;

  constructor(
    private readonly socket: PumpSocket,
    private readonly flow: FlowControl,
  ) {
    this.out = {
      ready: () => !this.flow.isPaused && this.socket.bufferedAmount() <= MAX_BUFFERED,
      frame: (kind, channel, checkIndex, data) => {
        this.socket.sendFrame(encodeOutputFrame({ kind, channel, checkIndex, data }));
        this.flow.sent(data.byteLength);
      },
      message: (msg) => this.socket.send(msg),
    };
  }

  add(channel: number, stream: OutputStream): void {
    this.streams.set(channel, stream);
    this.schedule();
  }

  remove(channel: number): void {
    this.streams.delete(channel);
  }

  /** The browser wrote `bytes` of output: if that reopens the flow, send more. */
  acked(bytes: number): void {
    if (this.flow.acked(bytes)) this.schedule();
  }

  schedule(): void {
    if (this.scheduled || this.closed) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.pass();
    });
  }

  close(): void {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    this.streams.clear();
  }

  private pass(): void {
    if (this.closed) return;
    for (const [channel, stream] of this.streams) {
      if (stream.drain(this.out)) this.streams.delete(channel);
      if (!this.out.ready()) break;
    }
    // Paused by flow control: the next ack schedules a pass. A full socket buffer has no event: poll it.
    if (!this.flow.isPaused && this.socket.bufferedAmount() > MAX_BUFFERED && !this.retry) {
      this.retry = setTimeout(() => {
        this.retry = null;
        this.schedule();
      }, BUFFER_RETRY_MS);
    }
  }
}
