import type { Socket } from 'node:net';
import { type Frame, FrameDecoder } from './agent-wire.js';

export class ChannelClosedError extends Error {}
export class ChannelTimeoutError extends Error {}

/**
 * The host end of the virtio-serial port: frames out, frames in. Reading is
 * pull-based (receive()), so the code that drives a job reads like the
 * conversation it is.
 */
export class AgentChannel {
  private readonly decoder = new FrameDecoder();
  private readonly queue: Frame[] = [];
  private waiter: { resolve: (f: Frame) => void; reject: (e: Error) => void } | null = null;
  private closed: Error | null = null;

  constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      let frames: Frame[];
      try {
        frames = this.decoder.push(chunk);
      } catch (e) {
        this.fail(e as Error);
        socket.destroy();
        return;
      }
      for (const f of frames) this.deliver(f);
    });
    socket.on('error', (e) => this.fail(e));
    socket.on('close', () => this.fail(new ChannelClosedError('the guest agent channel closed')));
  }

  /** From now on only frames signed with key are taken (wire.h); anything else closes the channel. */
  authenticate(key: Buffer): void {
    this.decoder.authenticate(key);
  }

  send(frame: Buffer): void {
    if (this.closed) throw this.closed;
    this.socket.write(frame);
  }

  /** The next frame from the agent; rejects when the channel closes or nothing arrives before the deadline (a Date.now() value). */
  async receive(deadline: number): Promise<Frame> {
    const queued = this.queue.shift();
    if (queued) return queued;
    if (this.closed) throw this.closed;
    return await new Promise<Frame>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = null;
        reject(new ChannelTimeoutError('the guest agent did not answer in time'));
      }, Math.max(0, deadline - Date.now()));
      this.waiter = {
        resolve: (f) => {
          clearTimeout(timer);
          resolve(f);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
    });
  }

  close(): void {
    this.socket.destroy();
  }

  /**
   * Backpressure for a long-lived stream (the interactive shell): stop reading
   * the port, so QEMU stops taking bytes from the guest and the agent's writes
   * wait, until resume().
   */
  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  /** Stops reading the port until `slowDown` settles (whoever takes the output is behind): the guest's writes wait in the VM. */
  async pausedUntil(slowDown: Promise<void>): Promise<void> {
    this.pause();
    try {
      await slowDown;
    } finally {
      this.resume();
    }
  }

  private deliver(frame: Frame): void {
    const w = this.waiter;
    if (w) {
      this.waiter = null;
      w.resolve(frame);
    } else {
      this.queue.push(frame);
    }
  }

  private fail(error: Error): void {
    if (this.closed) return;
    this.closed = error;
    const w = this.waiter;
    this.waiter = null;
    w?.reject(error);
  }
}
