import { createConnection, type Socket } from 'node:net';
import { connectWithRetry } from './unix-socket.js';

/**
 * A small client for QEMU's machine protocol (JSON lines over a unix socket).
 * Commands are answered in order; events are handed to listeners.
 */
export class QmpClient {
  private buffer = '';
  private pending: Array<{ resolve: (v: unknown) => void; reject: (e: Error) => void; command: string }> = [];
  private eventListeners = new Set<(event: { event: string; data?: unknown }) => void>();
  private closedError: Error | null = null;

  private constructor(private readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => this.onData(chunk));
    const fail = (e: Error): void => {
      this.closedError = e;
      for (const p of this.pending.splice(0)) p.reject(new Error(`QMP ${p.command}: ${e.message}`));
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('QEMU closed its QMP socket')));
  }

  static async connect(path: string, deadline: number): Promise<QmpClient> {
    const socket = await connectWithRetry(() => createConnection(path), deadline);
    const client = new QmpClient(socket);
    // The greeting arrives first; the capabilities handshake is answered in order after it.
    client.pending.push({ resolve: () => {}, reject: () => {}, command: 'greeting' });
    await client.execute('qmp_capabilities');
    return client;
  }

  onEvent(listener: (event: { event: string; data?: unknown }) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  async execute<T = unknown>(command: string, args?: Record<string, unknown>): Promise<T> {
    if (this.closedError) throw new Error(`QMP ${command}: ${this.closedError.message}`);
    return await new Promise<T>((resolve, reject) => {
      this.pending.push({ resolve: resolve as (v: unknown) => void, reject, command });
      this.socket.write(JSON.stringify(args ? { execute: command, arguments: args } : { execute: command }) + '\n');
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private onData(chunk: string): void {
    this.buffer += chunk;
    let nl: number;
    while ((nl = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, nl).trim();
      this.buffer = this.buffer.slice(nl + 1);
      if (!line) continue;
      const msg = JSON.parse(line) as { QMP?: unknown; return?: unknown; error?: { desc: string }; event?: string; data?: unknown };
      if (msg.event) {
        for (const l of this.eventListeners) l({ event: msg.event, data: msg.data });
        continue;
      }
      const p = this.pending.shift();
      if (!p) continue;
      if (msg.error) p.reject(new Error(`QMP ${p.command}: ${msg.error.desc}`));
      else p.resolve(msg.return ?? msg.QMP);
    }
  }
}
