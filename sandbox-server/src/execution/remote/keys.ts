/**
 * Every name JailLab uses in Redis, in one place (docs/scaling.md lists them
 * too). BullMQ keeps its own keys under `jaillab:runs:*`; the rest are ours.
 */
export const PREFIX = 'jaillab';

/**
 * The BullMQ queue of run jobs (job id = run id) and shell jobs (job name `shell`, job id = shell id): both hold
 * a VM slot of a runner while they last. KEDA scales runners on its wait list: `jaillab:runs:wait`.
 */
export const QUEUE_NAME = 'runs';
/** The BullMQ job name of a shell (a run's is `run`). */
export const SHELL_JOB_NAME = 'shell';

export const keys = {
  /** A run's events and output, in order: written by the runner holding it, read by the server. */
  stream: (runId: string): string => `${PREFIX}:run:${runId}:stream`,
  /** The last stream id the server has handled: how far behind it is (the runner's backpressure), and what may be trimmed. */
  cursor: (runId: string): string => `${PREFIX}:run:${runId}:cursor`,
  /** Set by the runner holding a run, with a short expiry, refreshed each second: gone means the runner was lost. */
  heartbeat: (runId: string): string => `${PREFIX}:run:${runId}:alive`,
  /** The run was cancelled: for a runner that takes the job after the cancel was published. */
  cancelled: (runId: string): string => `${PREFIX}:run:${runId}:cancelled`,
  /** One per live runner, with a short expiry: who serves, with what, how busy. */
  runner: (runnerId: string): string => `${PREFIX}:runner:${runnerId}`,
  runnerPattern: `${PREFIX}:runner:*`,
  /** A shell's output and what becomes of it (shell-stream-codec.ts): written by the runner holding it, read by the server. */
  shellOutput: (shellId: string): string => `${PREFIX}:shell:${shellId}:out`,
  /** The last id of a shell's output the server has handled: the runner's backpressure, as a run's cursor is. */
  shellCursor: (shellId: string): string => `${PREFIX}:shell:${shellId}:cursor`,
  /** Keystrokes, window sizes and the close of a shell, in order: written by the server, read by the runner. */
  shellInput: (shellId: string): string => `${PREFIX}:shell:${shellId}:in`,
  /** Set by the runner holding a shell, refreshed each second: gone means the runner was lost. */
  shellAlive: (shellId: string): string => `${PREFIX}:shell:${shellId}:alive`,
  /** Set by the server while a page holds the shell, refreshed each second: gone means nobody will type any more. */
  shellWatched: (shellId: string): string => `${PREFIX}:shell:${shellId}:watched`,
  /** Pub/sub: run ids to cancel; every runner listens, the one holding the run acts. */
  cancelChannel: `${PREFIX}:cancel`,
} as const;

/** How often a runner refreshes its heartbeats and its record. */
export const HEARTBEAT_EVERY_MS = 1000;
/**
 * How long a run's heartbeat lives: the server calls the runner lost when it is gone. Long enough that a runner
 * whose Redis connection drops for 10 s (a node's network blip, a Redis failover) comes back with its runs still
 * its own — it writes nothing meanwhile, and writes it all, in order, once back — and short enough that a
 * runner that died is named to the learner within seconds.
 */
export const HEARTBEAT_TTL_MS = 20_000;
/** How long a runner's record lives: the dashboard and /api/health drop a runner this soon after its last beat. */
export const RUNNER_RECORD_TTL_MS = 4000;
/**
 * BullMQ's lock on a job a runner holds. Above HEARTBEAT_TTL_MS, so a runner cut off for a while keeps its jobs
 * (another runner's stalled check does not fail them), and a job of a runner that died is failed soon after the
 * server has told its learner.
 */
export const JOB_LOCK_MS = 30_000;
/** How long a run's keys stay after it ended (a server that lost its connection for a moment can still read the end). */
export const FINISHED_TTL_S = 120;
/** Keys of a run in flight expire after this if nobody touches them again (a server and a runner both gone). */
export const RUN_TTL_S = 15 * 60;
