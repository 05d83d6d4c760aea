import { ServerMessage } from '@jaillab/protocol';
import WebSocket from 'ws';

/** A bare socket to the server, for sending what a well-behaved client never would. */
export class RawSocket {
  private readonly inbox: ServerMessage[] = [];
  private waiters: Array<() => void> = [];
  readonly closed: Promise<{ code: number; reason: string }>;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer, isBinary) => {
      if (isBinary) return;
      this.inbox.push(ServerMessage.parse(JSON.parse(data.toString())));
      for (const w of this.waiters.splice(0)) w();
    });
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  }

  static async open(baseUrl: string, origin: string | null = baseUrl): Promise<RawSocket> {
    const ws = new WebSocket(baseUrl.replace(/^http/, 'ws') + '/ws', origin ? { origin } : {});
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return new RawSocket(ws);
  }

  send(data: unknown): void {
    this.ws.send(typeof data === 'string' || Buffer.isBuffer(data) ? data : JSON.stringify(data));
  }

  /** The next message matching `pred` (already received or yet to come). */
  async next<T extends ServerMessage>(pred: (m: ServerMessage) => m is T, timeoutMs = 30_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = this.inbox.findIndex(pred);
      if (i >= 0) return this.inbox.splice(i, 1)[0] as T;
      if (Date.now() > deadline) throw new Error(`no matching message; got ${JSON.stringify(this.inbox.slice(-3))}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
  }

  async error(): Promise<Extract<ServerMessage, { type: 'error' }>> {
    return await this.next((m): m is Extract<ServerMessage, { type: 'error' }> => m.type === 'error');
  }

  close(): void {
    this.ws.close();
  }
}
