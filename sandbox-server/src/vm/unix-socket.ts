import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** QEMU creates its sockets a moment after it starts: connect, retrying until the deadline (a Date.now() value). */
export async function connectWithRetry(connect: () => Socket, deadline: number): Promise<Socket> {
  let lastError: Error | null = null;
  while (Date.now() < deadline) {
    try {
      return await new Promise<Socket>((resolve, reject) => {
        const s = connect();
        s.once('connect', () => {
          s.removeAllListeners('error');
          resolve(s);
        });
        s.once('error', (e) => {
          s.destroy();
          reject(e);
        });
      });
    } catch (e) {
      lastError = e as Error;
      await sleep(3);
    }
  }
  throw new Error(`could not connect: ${lastError?.message ?? 'timed out'}`);
}
