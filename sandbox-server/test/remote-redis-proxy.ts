import { rm } from 'node:fs/promises';
import { type Server, type Socket, createConnection, createServer } from 'node:net';

export interface RedisProxy {
  /** unix:///… — what a runner behind this proxy is given instead of Redis's own socket. */
  url: string;
  /** Connections made through it so far (a reconnect after a cut makes more). */
  readonly connections: number;
  /** The network goes: every connection through it is dropped, and new ones are refused, until restore(). */
  cut(): Promise<void>;
  restore(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A unix-socket relay in front of a test's Redis, for one runner: cutting it
 * is that runner losing its connection (as a node's network blip would),
 * while the server and other runners keep theirs. Bytes pass unchanged.
 */
export async function startRedisProxy(redisSocket: string, path: string): Promise<RedisProxy> {
  const open = new Set<Socket>();
  let connections = 0;
  let server: Server | null = null;
  const listen = async (): Promise<void> => {
    await rm(path, { force: true });
    const s = createServer((client) => {
      connections++;
      const upstream = createConnection(redisSocket);
      open.add(client).add(upstream);
      const drop = (): void => {
        client.destroy();
        upstream.destroy();
        open.delete(client);
        open.delete(upstream);
      };
      client.on('error', drop).on('close', drop);
      upstream.on('error', drop).on('close', drop);
      client.pipe(upstream);
      upstream.pipe(client);
    });
    await new Promise<void>((resolve) => s.listen(path, resolve));
    server = s;
  };
  const close = async (): Promise<void> => {
    const s = server;
    server = null;
    for (const sock of open) sock.destroy();
    open.clear();
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
    await rm(path, { force: true });
  };
  await listen();
  return {
    url: `unix://${path}`,
    get connections() {
      return connections;
    },
    cut: close,
    restore: listen,
    stop: close,
  };
}
