import { EventEmitter } from 'node:events';
import type { ServerMessage } from '@jaillab/protocol';

/** A stand-in for a `ws` WebSocket, for socket sessions without a network: it records what the server sends. */
export class FakeSocket extends EventEmitter {
  bufferedAmount = 0;
  readonly texts: ServerMessage[] = [];
  readonly frames: Uint8Array[] = [];
  closedWith: number | null = null;
  closedReason = '';
  send(data: string | Uint8Array): void {
    if (this.closedWith !== null) return;
    if (typeof data === 'string') this.texts.push(JSON.parse(data) as ServerMessage);
    else this.frames.push(data);
  }
  /** Like ws: the close event follows the close (here at once). */
  close(code?: number, reason?: string): void {
    if (this.closedWith !== null) return;
    this.closedWith = code ?? 1000;
    this.closedReason = reason ?? '';
    this.emit('close');
  }
  /** The browser sends a message. */
  say(msg: unknown): void {
    this.emit('message', Buffer.from(typeof msg === 'string' ? msg : JSON.stringify(msg)), false);
  }
  last(): ServerMessage {
    return this.texts.at(-1)!;
  }
}
