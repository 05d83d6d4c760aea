import { Redis, type RedisOptions } from 'ioredis';

/**
 * Where Redis is and how to log in: `redis://[:password@]host:port[/db]`
 * (or `rediss://` for TLS), or a unix socket as `unix:///path/redis.sock` or
 * a bare absolute path. A password may come from JAILLAB_REDIS_PASSWORD
 * instead of the URL, so it shows in no process listing. JailLab refuses to
 * talk to Redis without one: whoever can write to the queue can run code on
 * every runner (in its VMs), and read every learner's program.
 */
export interface RedisTarget {
  options: RedisOptions;
  /** For logs and the status page: never the password. */
  label: string;
}

export class RedisConfigError extends Error {}

export function redisTarget(url: string, env: NodeJS.ProcessEnv = process.env): RedisTarget {
  const fromEnv = env.JAILLAB_REDIS_PASSWORD || undefined;
  let options: RedisOptions;
  let label: string;
  if (url.startsWith('/') || url.startsWith('unix:')) {
    const path = url.startsWith('unix:') ? new URL(url).pathname : url;
    options = { path, password: fromEnv };
    label = `unix:${path}`;
  } else {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      throw new RedisConfigError(`not a Redis URL: ${url.replace(/\/\/[^@/]*@/, '//…@')}`);
    }
    if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new RedisConfigError(`a Redis URL starts with redis://, rediss:// or unix:// (got ${u.protocol})`);
    options = {
      host: u.hostname,
      port: u.port ? Number(u.port) : 6379,
      username: u.username ? decodeURIComponent(u.username) : undefined,
      password: u.password ? decodeURIComponent(u.password) : fromEnv,
      db: u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0,
      ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
    };
    label = `${u.protocol}//${u.hostname}:${options.port}`;
  }
  if (!options.password) throw new RedisConfigError('Redis needs a password (in the URL, or JAILLAB_REDIS_PASSWORD): whoever can write to the run queue runs code on every runner');
  return { options, label };
}

/**
 * A connection. `blocking` ones (BullMQ workers, XREAD BLOCK) retry forever,
 * as BullMQ requires; the others fail a command after a few tries, so a Redis
 * that is gone becomes a clear error instead of a run that hangs.
 */
export function connect(target: RedisTarget, name: string, blocking: boolean): Redis {
  return new Redis({
    ...target.options,
    connectionName: `jaillab-${name}`,
    maxRetriesPerRequest: blocking ? null : 3,
    enableReadyCheck: true,
    lazyConnect: false,
  });
}
