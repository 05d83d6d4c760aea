import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RedisProcess, startRedis } from '../../../test/redis-process.js';
import { keys } from './keys.js';
import { DEFAULT_BACKPRESSURE } from './backpressured-stream.js';
import { RunStreamWriter } from './run-stream-writer.js';
import { decodeEntry } from './stream-codec.js';

/**
 * A write sent twice: what ioredis does after a reconnect with an XADD that was on the wire, which Redis may
 * have stored already (the reply was what got lost). Against a real Redis.
 */
let redis: RedisProcess;
let client: Redis;

beforeAll(async () => {
  redis = await startRedis();
  client = redis.client();
});
afterAll(async () => redis?.stop());

/** The client, with every XADD delivered twice, as a resend after a lost reply is. */
function resending(c: Redis): Redis {
  return new Proxy(c, {
    get(target, prop, receiver) {
      if (prop !== 'xadd') return Reflect.get(target, prop, receiver) as unknown;
      return async (...args: Parameters<Redis['xadd']>) => {
        await target.xadd(...args);
        return target.xadd(...args);
      };
    },
  });
}

describe('the run stream writer', () => {
  it('stores each entry once when a write reaches Redis twice (but the first, "taken", which may repeat harmlessly)', async () => {
    const writer = new RunStreamWriter(resending(client), 'resent-run', DEFAULT_BACKPRESSURE, new AbortController().signal, () => undefined);
    writer.taken({ runnerId: 'r1', host: 'host-a' });
    for (let i = 0; i < 5; i++) void writer.output(0, Buffer.from(`L${i}\n`));
    writer.event({ type: 'check-started', index: 1 });
    await writer.flush();
    const entries = (await client.xrangeBuffer(keys.stream('resent-run'), '-', '+')).map(([, fields]) => decodeEntry(fields));
    expect(entries.map((e) => (e.kind === 'output' ? e.data.toString() : e.kind))).toEqual(['taken', 'taken', 'L0\n', 'L1\n', 'L2\n', 'L3\n', 'L4\n', 'event']);
  });

  it('still fails on a write Redis refuses for another reason', async () => {
    await client.set(keys.stream('not-a-stream'), 'a string');
    const writer = new RunStreamWriter(client, 'not-a-stream', DEFAULT_BACKPRESSURE, new AbortController().signal, () => undefined);
    writer.taken({ runnerId: 'r1', host: 'host-a' });
    await expect(writer.flush()).rejects.toThrow(/WRONGTYPE/);
  });
});
