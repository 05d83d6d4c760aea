import type { ClientMessage, ErrorCode, ServerMessage } from '@jaillab/protocol';
import type { SocketClient } from './socket-client.js';

export class RequestError extends Error {
  constructor(
    readonly code: ErrorCode | 'not-connected' | 'connection-lost',
    message: string,
  ) {
    super(message);
  }
}

type WithRequestId = Extract<ServerMessage, { requestId?: string }>;
type ReplyOf<K extends ServerMessage['type']> = Extract<ServerMessage, { type: K }>;
// Every client message that carries a requestId, without it: the helper adds one.
type Requestable = Extract<ClientMessage, { requestId: string }>;
type Omitted<T> = T extends unknown ? Omit<T, 'requestId'> : never;

let counter = 0;
export const newRequestId = (prefix = 'q'): string => `${prefix}${Date.now().toString(36)}-${(++counter).toString(36)}`;

/**
 * Request and reply over the socket: sends a message with a fresh requestId
 * and resolves with the server's reply of the expected type, or rejects with
 * its error. A request sent while offline, or lost with its socket, rejects
 * (the caller decides whether to try again).
 */
export class Requests {
  private readonly pending = new Map<string, { type: string; resolve: (m: ServerMessage) => void; reject: (e: RequestError) => void }>();

  constructor(private readonly socket: SocketClient) {
    socket.message.on((msg) => {
      const requestId = (msg as WithRequestId).requestId;
      if (requestId === undefined) return;
      const p = this.pending.get(requestId);
      if (!p) return;
      if (msg.type === 'error') {
        this.pending.delete(requestId);
        p.reject(new RequestError(msg.code, msg.message));
      } else if (msg.type === p.type) {
        this.pending.delete(requestId);
        p.resolve(msg);
      }
    });
    socket.disconnected.on(() => {
      for (const p of this.pending.values()) p.reject(new RequestError('connection-lost', 'the connection to the server dropped; try again'));
      this.pending.clear();
    });
  }

  send<K extends ServerMessage['type']>(msg: Omitted<Requestable>, replyType: K): Promise<ReplyOf<K>> {
    const requestId = newRequestId();
    return new Promise((resolve, reject) => {
      this.pending.set(requestId, { type: replyType, resolve: resolve as (m: ServerMessage) => void, reject });
      if (!this.socket.send({ ...msg, requestId } as ClientMessage)) {
        this.pending.delete(requestId);
        reject(new RequestError('not-connected', 'not connected to the server right now'));
      }
    });
  }
}
