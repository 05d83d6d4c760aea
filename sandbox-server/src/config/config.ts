import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { IdentityBudgets } from '../ws/identity-limits.js';
import { defaultCacheDir, defaultDataDir } from './data-dir.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** Every setting, from the environment (JAILLAB_*), with the defaults a laptop wants. */
const Env = z.object({
  JAILLAB_HOST: z.string().default('127.0.0.1'),
  JAILLAB_PORT: z.coerce.number().int().min(0).max(65535).default(7878),
  JAILLAB_DATA_DIR: z.string().default(defaultDataDir()),
  JAILLAB_CACHE_DIR: z.string().default(defaultCacheDir()),
  JAILLAB_LESSONS_DIR: z.string().default(join(repoRoot, 'lessons')),
  JAILLAB_WEB_DIR: z.string().default(join(repoRoot, 'web', 'dist')),
  JAILLAB_ACCEL: z.enum(['auto', 'kvm', 'tcg']).default('auto'),
  JAILLAB_POOL_SIZE: z.coerce.number().int().min(1).max(64).default(2),
  JAILLAB_MAX_RUNS: z.coerce.number().int().min(1).max(64).default(2),
  JAILLAB_VM_MEMORY_MIB: z.coerce.number().int().min(128).max(2048).default(192),
  /** fair: runs take turns between learners; fifo: arrival order (for comparison in bench:classroom). */
  JAILLAB_QUEUE: z.enum(['fair', 'fifo']).default('fair'),
  /** VMs kept ready for a workshop's students, at most (about 16 MiB each while ready). */
  JAILLAB_ROOM_READY_MAX: z.coerce.number().int().min(0).max(256).default(32),
  /** Extra browser origins allowed to open the socket (comma-separated), beyond the server's own. */
  JAILLAB_ALLOWED_ORIGINS: z.string().default(''),
  /**
   * Host names (with the port, as the Host header has it) the server answers to, beyond the listen address,
   * localhost and the hosts of JAILLAB_ALLOWED_ORIGINS (comma-separated): anything else is refused.
   */
  JAILLAB_ALLOWED_HOSTS: z.string().default(''),
  /**
   * local: runs execute in this process's own VM pool (the default: one process, nothing else to run).
   * remote: runs go to runner processes through BullMQ on Redis (JAILLAB_REDIS_URL); see docs/scaling.md.
   */
  JAILLAB_EXECUTOR: z.enum(['local', 'remote']).default('local'),
  /** Redis for remote mode: redis://:password@host:port, or unix:///path (password in JAILLAB_REDIS_PASSWORD). */
  JAILLAB_REDIS_URL: z.string().optional(),
  /** Unlocks instructor features on the socket. Unset: a random one is made and kept in the data directory. */
  JAILLAB_INSTRUCTOR_TOKEN: z.string().min(16).optional(),
});

export interface Config {
  host: string;
  port: number;
  dataDir: string;
  cacheDir: string;
  lessonsDir: string;
  webDir: string;
  accelerator: 'auto' | 'kvm' | 'tcg';
  poolSize: number;
  maxConcurrentRuns: number;
  vmMemoryMiB: number;
  queuePolicy: 'fair' | 'fifo';
  roomReadyMax: number;
  allowedOrigins: string[];
  allowedHosts: string[];
  /** What new learners, new members and wrong join codes cost per address (tests of many clients raise them). */
  identityBudgets: Partial<IdentityBudgets>;
  instructorToken: string | null;
  executor: 'local' | 'remote';
  redisUrl: string | null;
  /** Short-lived sockets for QEMU: kept short because unix socket paths are limited to 108 bytes. */
  runDir: string;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const parsed = Env.safeParse(env);
  if (!parsed.success) throw new Error(`bad configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const e = parsed.data;
  return {
    host: e.JAILLAB_HOST,
    port: e.JAILLAB_PORT,
    dataDir: resolve(e.JAILLAB_DATA_DIR),
    cacheDir: resolve(e.JAILLAB_CACHE_DIR),
    lessonsDir: resolve(e.JAILLAB_LESSONS_DIR),
    webDir: resolve(e.JAILLAB_WEB_DIR),
    accelerator: e.JAILLAB_ACCEL,
    poolSize: e.JAILLAB_POOL_SIZE,
    maxConcurrentRuns: e.JAILLAB_MAX_RUNS,
    vmMemoryMiB: e.JAILLAB_VM_MEMORY_MIB,
    queuePolicy: e.JAILLAB_QUEUE,
    roomReadyMax: e.JAILLAB_ROOM_READY_MAX,
    allowedOrigins: e.JAILLAB_ALLOWED_ORIGINS.split(',').map((s) => s.trim()).filter(Boolean),
    allowedHosts: e.JAILLAB_ALLOWED_HOSTS.split(',').map((s) => s.trim()).filter(Boolean),
    identityBudgets: {},
    instructorToken: e.JAILLAB_INSTRUCTOR_TOKEN ?? null,
    executor: e.JAILLAB_EXECUTOR,
    redisUrl: e.JAILLAB_REDIS_URL ?? null,
    runDir: join(tmpdir(), `jaillab-${process.pid}`),
    ...overrides,
  };
}
