import type { Accelerator } from '@jaillab/protocol';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { RunnerInfo } from '../run-executor.js';
import { keys } from './keys.js';

/** What a runner says about itself each second (under `jaillab:runner:<id>`, expiring). */
export interface RunnerRecord extends RunnerInfo {
  ready: number;
  starting: number;
  startedAt: string;
}

const Record = z.object({
  id: z.string(),
  host: z.string(),
  accelerator: z.enum(['kvm', 'tcg']).nullable(),
  slots: z.number().int().min(0),
  busy: z.number().int().min(0),
  ready: z.number().int().min(0),
  starting: z.number().int().min(0),
  startedAt: z.string(),
});

/**
 * The server's view of the runners that are up, read from Redis every
 * second and kept, so capacity() (the dashboard, /api/health, welcome) is a
 * plain read. A runner that stops beating is gone from the list within its
 * record's expiry.
 */
export class RunnerRegistry {
  private runners: RunnerRecord[] = [];
  private waiting = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly redis: Redis,
    private readonly waitListKey: string,
  ) {}

  async start(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => void this.refresh().catch(() => undefined), 1000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  get live(): readonly RunnerRecord[] {
    return this.runners;
  }

  /** Jobs waiting for a runner (BullMQ's wait list). */
  get queued(): number {
    return this.waiting;
  }

  get accelerator(): Accelerator | null {
    return this.runners.find((r) => r.accelerator === 'kvm')?.accelerator ?? this.runners[0]?.accelerator ?? null;
  }

  async refresh(): Promise<void> {
    const found: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await this.redis.scan(cursor, 'MATCH', keys.runnerPattern, 'COUNT', 200);
      cursor = next;
      found.push(...batch);
    } while (cursor !== '0');
    const values = found.length ? await this.redis.mget(...found) : [];
    const runners: RunnerRecord[] = [];
    for (const v of values) {
      if (!v) continue;
      const parsed = Record.safeParse(safeJson(v));
      if (parsed.success) runners.push(parsed.data);
    }
    this.runners = runners.sort((a, b) => a.host.localeCompare(b.host) || a.id.localeCompare(b.id));
    this.waiting = await this.redis.llen(this.waitListKey);
  }
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}
