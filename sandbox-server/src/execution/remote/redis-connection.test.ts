import { describe, expect, it } from 'vitest';
import { RedisConfigError, redisTarget } from './redis-connection.js';

describe('redisTarget', () => {
  it('reads host, port, password and db from a URL, and never shows the password', () => {
    const t = redisTarget('redis://:s3cret%21@queue.example:6380/2', {});
    expect(t.options).toMatchObject({ host: 'queue.example', port: 6380, password: 's3cret!', db: 2 });
    expect(t.label).toBe('redis://queue.example:6380');
  });

  it('takes a unix socket, with the password from the environment', () => {
    expect(redisTarget('unix:///run/redis/r.sock', { JAILLAB_REDIS_PASSWORD: 'pw' }).options).toMatchObject({ path: '/run/redis/r.sock', password: 'pw' });
    expect(redisTarget('/tmp/r.sock', { JAILLAB_REDIS_PASSWORD: 'pw' }).label).toBe('unix:/tmp/r.sock');
  });

  it('refuses a Redis without a password, and what is not a Redis URL', () => {
    expect(() => redisTarget('redis://localhost:6379', {})).toThrow(RedisConfigError);
    expect(() => redisTarget('http://localhost', { JAILLAB_REDIS_PASSWORD: 'pw' })).toThrow(/redis:\/\//);
    expect(() => redisTarget('::::', { JAILLAB_REDIS_PASSWORD: 'pw' })).toThrow(RedisConfigError);
  });
});
