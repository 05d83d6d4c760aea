import type { IncomingMessage } from 'node:http';

/** How many sockets one address may hold open at once (a classroom behind one NAT needs room). */
export const MAX_SOCKETS_PER_ADDRESS = 64;

/**
 * Decides whether a WebSocket upgrade is let in: the browser's Origin must be
 * this server (or one configured), which stops other sites from driving a
 * learner's session, and one address may not hold unbounded sockets.
 */
export class SocketGate {
  private readonly perAddress = new Map<string, number>();

  constructor(private readonly allowedOrigins: string[]) {}

  /** Returns a refusal reason, or null to accept. */
  check(req: IncomingMessage): string | null {
    const origin = req.headers.origin;
    if (origin !== undefined) {
      let host: string;
      try {
        host = new URL(origin).host;
      } catch {
        return 'bad Origin';
      }
      if (host !== req.headers.host && !this.allowedOrigins.includes(origin)) return `origin ${origin} is not allowed`;
    }
    const address = req.socket.remoteAddress ?? '?';
    if ((this.perAddress.get(address) ?? 0) >= MAX_SOCKETS_PER_ADDRESS) return 'too many connections from this address';
    return null;
  }

  opened(req: IncomingMessage): () => void {
    const address = req.socket.remoteAddress ?? '?';
    this.perAddress.set(address, (this.perAddress.get(address) ?? 0) + 1);
    return () => {
      const n = (this.perAddress.get(address) ?? 1) - 1;
      if (n <= 0) this.perAddress.delete(address);
      else this.perAddress.set(address, n);
    };
  }
}
