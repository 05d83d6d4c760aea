import type { Accelerator } from '@jaillab/protocol';
import type { Queue } from 'bullmq';
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
 * The server's view of the runners that are up and of the jobs waiting for
 * them, read from Redis every second and kept, so capacity() (the dashboard,
 * /api/health, welcome) and a run's place in line are plain reads. A
 * runner that stops beating is gone from the list within its record's expiry.
 */
export class RunnerRegistry {
  private runners: RunnerRecord[] = [];
  /** The ids of the jobs waiting for a runner, by place in line (0 = next). */
  private waiting = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly redis: Redis,
    private readonly queue: Queue,
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
    return this.waiting.size;
  }

  /** A waiting job's place in line (0 = next), or -1 if it was not waiting at the last look (taken, gone, or too new). */
  position(jobId: string): number {
    return this.waiting.get(jobId) ?? -1;
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
    // Ids only, oldest first (the next a runner takes): BullMQ's public getter, never its keys.
    const ids = await this.queue.getRanges(['wait'], 0, -1, true);
    this.waiting = new Map(ids.map((id, i) => [id, i]));
  }
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}
