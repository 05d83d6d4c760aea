import { z } from 'zod';
import { Verdict } from './verdict.js';

/**
 * The escape replay of one check: what the jail program, the probe and their
 * children did, one system call per step, as the guest agent traced it
 * (sandbox-server/guest/agent/recorder.h). Ordinary JSON, bounded like output
 * (at most MAX_TRACE_STEPS steps, every string capped), so it travels in the
 * run's event log to every watcher, the CLI's --json and remote runners
 * unchanged.
 */

export const MAX_TRACE_STEPS = 2300;
export const MAX_TRACE_STRING = 400;

const Text = z.string().max(MAX_TRACE_STRING);

/** A place in the VM's real filesystem, as the agent (PID 1, outside every namespace) found it. */
export const TraceWhere = z.object({
  path: Text,
  /** In the jail tree (the directory the check's jail was built in). */
  inside: z.boolean(),
  /** For a cwd or a descriptor: below the process's own root. A cwd inside the jail but above a root set deeper is not. */
  belowRoot: z.boolean(),
  /** The path is as another mount namespace shows it: the agent could not place it in the VM's tree. */
  foreign: z.boolean().optional(),
  kind: z.enum(['dir', 'file', 'block-device', 'char-device', 'other']).optional(),
  /** The outside secret itself (whatever its name here), or the disk device it is on. */
  secret: z.boolean().optional(),
});
export type TraceWhere = z.infer<typeof TraceWhere>;

export const TraceFd = TraceWhere.extend({ fd: z.number().int() });
export type TraceFd = z.infer<typeof TraceFd>;

/** Credentials as /proc/<pid>/status shows them from the VM's user namespace. */
export const TraceCreds = z.object({
  /** real, effective, saved, filesystem */
  uid: z.array(z.number().int()).max(4),
  gid: z.array(z.number().int()).max(4),
  groups: z.array(z.number().int()).max(64),
  /** Capability sets, as hex masks. */
  capPrm: z.string().max(32),
  capEff: z.string().max(32),
  capBnd: z.string().max(32),
  noNewPrivs: z.boolean(),
  /** 0 none, 2 a filter (the tracer's own always counts here when the check is traced). */
  seccomp: z.number().int(),
});
export type TraceCreds = z.infer<typeof TraceCreds>;

export const Namespace = z.enum(['user', 'mnt', 'pid', 'net']);
export type Namespace = z.infer<typeof Namespace>;

/** Where a process was after a step: root and cwd always, the rest when the step called for it. */
export const TraceSnapshot = z.object({
  root: TraceWhere,
  cwd: TraceWhere,
  dirFds: z.array(TraceFd).max(16).optional(),
  creds: TraceCreds.optional(),
  /** The namespaces that are the process's own (not the VM's). */
  ownNamespaces: z.array(Namespace).max(4).optional(),
});
export type TraceSnapshot = z.infer<typeof TraceSnapshot>;

/** Who made a call: the learner's program, the probe it started (and what the probe ran), another program, the accomplice. */
export const TraceProc = z.enum(['jailer', 'probe', 'other', 'accomplice']);
export type TraceProc = z.infer<typeof TraceProc>;

export const TraceStep = z.object({
  /** Index of the step in its check's trace. */
  i: z.number().int().min(0),
  pid: z.number().int(),
  proc: TraceProc,
  call: z.string().max(40),
  args: z.array(Text).max(8),
  /** The return value; null when the process never returned from the call (killed in it). */
  result: z.number().nullable(),
  errno: z.string().max(24).nullable(),
  /** The path argument, resolved to a real path (textually, symlinks not followed). */
  path: TraceWhere.optional(),
  /** What the descriptor the call returned refers to. */
  opened: TraceFd.optional(),
  /** Descriptors passed over a socket (SCM_RIGHTS): sent, or received. */
  fds: z.array(TraceFd).max(8).optional(),
  /** ptrace(PTRACE_ATTACH / PTRACE_SEIZE): where the process it took hold of is rooted. */
  target: TraceWhere.optional(),
  /** Where the process is afterwards (after chroot, pivot_root, chdir, fchdir, setns, execve). */
  after: TraceSnapshot.partial({ root: true, cwd: true }).optional(),
  /** After a successful execve: what the process is now, and its program. */
  became: TraceProc.optional(),
  exe: Text.optional(),
  /** A step the agent adds: what happened while the process waited (the race's swap). */
  note: Text.optional(),
});
export type TraceStep = z.infer<typeof TraceStep>;

/** Something in the jail when the probe started, as the probe saw it (its mounts' flags included). */
export const JailItem = z.object({
  kind: z.enum(['proc', 'device', 'setuid', 'hardlink']),
  path: Text,
  /** "b 7:0", "mode 4755 uid 0 gid 0", "2 links, 1 in the jail" */
  detail: z.string().max(80),
  /** The mount it is on is nodev / nosuid. */
  nodev: z.boolean(),
  nosuid: z.boolean(),
  /** The outside secret itself, or the disk it is on. */
  secret: z.boolean(),
});
export type JailItem = z.infer<typeof JailItem>;

/** The steps worth pointing at (indexes into steps), found by the server from the steps themselves. */
export const TraceHighlights = z.object({
  /** The first step where the probe reached outside the jail (a cwd, a root, a descriptor, a file, a process). */
  outside: z.number().int().nullable(),
  /** The step that opened the secret (or the disk it is on). */
  secret: z.number().int().nullable(),
  /** For a contained probe: the call that was refused, and why (its errno). */
  refused: z.number().int().nullable(),
});
export type TraceHighlights = z.infer<typeof TraceHighlights>;

export const CheckTrace = z.object({
  steps: z.array(TraceStep).max(MAX_TRACE_STEPS),
  /** Set when steps were left out: recorded up to `afterSteps`, then only landmarks; `dropped` others not recorded. */
  truncated: z.object({ afterSteps: z.number().int(), dropped: z.number().int() }).nullable(),
  /** Where the jail program started (root, cwd, descriptors, credentials). */
  initial: TraceSnapshot.nullable(),
  /** The jail tree's real path (/jail, or what /jail pointed to when the program started). */
  jail: Text,
  /** What was in the jail when the probe started; null when the probe never started. */
  jailAtProbeStart: z.object({ items: z.array(JailItem).max(32), entries: z.number().int() }).nullable(),
  highlights: TraceHighlights,
  /** Things to know about this trace ("from step 12 every call was watched"). */
  notes: z.array(Text).max(8),
  /**
   * Set when the replay was recorded on a second run of the check (the check's verdict is its first run's, made
   * with the agent watching execs and exits only): how that second run ended. Null: recorded on the run judged.
   */
  secondRun: z.object({ verdict: Verdict }).nullable().default(null),
});
export type CheckTrace = z.infer<typeof CheckTrace>;
