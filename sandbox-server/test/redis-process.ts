import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

export interface RedisProcess {
  /** unix:///…/redis.sock — pass with `password`. */
  url: string;
  password: string;
  socket: string;
  child: ChildProcess;
  client(): Redis;
  /** Stops it and starts a fresh one on the same socket (nothing kept: no persistence), as a Redis restart loses its data. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A real redis-server (Debian's) for one test: on a private unix socket in a
 * temporary directory, no TCP port, a random password, nothing saved to disk.
 */
export async function startRedis(): Promise<RedisProcess> {
  const dir = await mkdtemp(join(tmpdir(), 'jaillab-redis-'));
  const socket = join(dir, 'redis.sock');
  const password = randomBytes(16).toString('hex');
  const clients: Redis[] = [];
  let child: ChildProcess = await launch(dir, socket, password);
  const client = (): Redis => {
    const c = new Redis({ path: socket, password, maxRetriesPerRequest: 3 });
    c.on('error', () => undefined);
    clients.push(c);
    return c;
  };
  const kill = async (): Promise<void> => {
    if (child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  };
  return {
    url: `unix://${socket}`,
    password,
    socket,
    get child() {
      return child;
    },
    client,
    async restart() {
      await kill();
      child = await launch(dir, socket, password);
    },
    async stop() {
      for (const c of clients) c.disconnect();
      await kill();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function launch(dir: string, socket: string, password: string): Promise<ChildProcess> {
  // setpriv: it dies with the test process, even one killed hard, instead of outliving it.
  const child = spawn('setpriv', ['--pdeathsig', 'KILL', '--', 'redis-server', '--port', '0', '--unixsocket', socket, '--unixsocketperm', '700', '--requirepass', password, '--save', '', '--appendonly', 'no', '--dir', dir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log: string[] = [];
  child.stdout!.on('data', (d: Buffer) => log.push(d.toString()));
  child.stderr!.on('data', (d: Buffer) => log.push(d.toString()));
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${log.join('').slice(-500)}`)));
    const onData = (): void => {
      if (/ready to accept connections/i.test(log.join(''))) {
        child.stdout!.off('data', onData);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
  });
  return child;
}
