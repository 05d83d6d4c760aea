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

export const TraceWhere = z
  .object({
    path: Text.describe('the real path'),
    inside: z.boolean().describe('in the jail tree (the directory the check\'s jail was built in)'),
    belowRoot: z.boolean().describe('for a cwd or a descriptor: below the process\'s own root. A cwd inside the jail but above a root set deeper is not'),
    foreign: z.boolean().optional().describe('the path is as another mount namespace shows it: the agent could not place it in the VM\'s tree'),
    kind: z.enum(['dir', 'file', 'block-device', 'char-device', 'other']).optional().describe('what is at the path'),
    secret: z.boolean().optional().describe('the outside secret itself (whatever its name here), or the disk device it is on'),
  })
  .describe('a place in the VM\'s real filesystem, as the agent (PID 1, outside every namespace) found it');
export type TraceWhere = z.infer<typeof TraceWhere>;

export const TraceFd = TraceWhere.extend({ fd: z.number().int().describe('the descriptor number') }).describe('an open descriptor and where it points');
export type TraceFd = z.infer<typeof TraceFd>;

export const TraceCreds = z
  .object({
    uid: z.array(z.number().int()).max(4).describe('uids: real, effective, saved, filesystem'),
    gid: z.array(z.number().int()).max(4).describe('gids: real, effective, saved, filesystem'),
    groups: z.array(z.number().int()).max(64).describe('supplementary groups'),
    capPrm: z.string().max(32).describe('permitted capability set, as a hex mask'),
    capEff: z.string().max(32).describe('effective capability set, as a hex mask'),
    capBnd: z.string().max(32).describe('bounding capability set, as a hex mask'),
    noNewPrivs: z.boolean().describe('the no_new_privs flag is set'),
    seccomp: z.number().int().describe('seccomp mode: 0 none, 2 a filter (the tracer\'s own always counts here when the check is traced)'),
  })
  .describe('credentials as /proc/<pid>/status shows them from the VM\'s user namespace');
export type TraceCreds = z.infer<typeof TraceCreds>;

export const Namespace = z.enum(['user', 'mnt', 'pid', 'net']).describe('a kind of Linux namespace');
export type Namespace = z.infer<typeof Namespace>;

export const TraceSnapshot = z
  .object({
    root: TraceWhere.describe('the process\'s root directory'),
    cwd: TraceWhere.describe('the process\'s working directory'),
    dirFds: z.array(TraceFd).max(16).optional().describe('its open directory descriptors'),
    creds: TraceCreds.optional().describe('its credentials'),
    ownNamespaces: z.array(Namespace).max(4).optional().describe('the namespaces that are the process\'s own (not the VM\'s)'),
  })
  .describe('where a process was after a step: root and cwd always, the rest when the step called for it');
export type TraceSnapshot = z.infer<typeof TraceSnapshot>;

export const TraceProc = z
  .enum(['jailer', 'probe', 'other', 'accomplice'])
  .describe('who made a call: the learner\'s program, the probe it started (and what the probe ran), another program, the accomplice');
export type TraceProc = z.infer<typeof TraceProc>;

export const TraceStep = z
  .object({
    i: z.number().int().min(0).describe('index of the step in its check\'s trace'),
    pid: z.number().int().describe('the calling process, as the VM numbers it'),
    proc: TraceProc,
    call: z.string().max(40).describe('the system call\'s name'),
    args: z.array(Text).max(8).describe('its arguments, as text'),
    result: z.number().nullable().describe('the return value; null when the process never returned from the call (killed in it)'),
    errno: z.string().max(24).nullable().describe('the error\'s name, e.g. EPERM; null when the call did not fail'),
    path: TraceWhere.optional().describe('the path argument, resolved to a real path (textually, symlinks not followed)'),
    opened: TraceFd.optional().describe('what the descriptor the call returned refers to'),
    fds: z.array(TraceFd).max(8).optional().describe('descriptors passed over a socket (SCM_RIGHTS): sent, or received'),
    target: TraceWhere.optional().describe('ptrace(PTRACE_ATTACH / PTRACE_SEIZE): where the process it took hold of is rooted'),
    after: TraceSnapshot.partial({ root: true, cwd: true }).optional().describe('where the process is afterwards (after chroot, pivot_root, chdir, fchdir, setns, execve)'),
    became: TraceProc.optional().describe('after a successful execve: what the process is now'),
    exe: Text.optional().describe('after a successful execve: its program'),
    note: Text.optional().describe('a step the agent adds: what happened while the process waited (the race\'s swap)'),
  })
  .describe('one step of the replay: a system call of a traced process, or a note the agent adds');
export type TraceStep = z.infer<typeof TraceStep>;

export const JailItem = z
  .object({
    kind: z.enum(['proc', 'device', 'setuid', 'hardlink']).describe('what makes it worth pointing at'),
    path: Text.describe('its path in the jail'),
    detail: z.string().max(80).describe('what it is, e.g. "b 7:0", "mode 4755 uid 0 gid 0", "2 links, 1 in the jail"'),
    nodev: z.boolean().describe('the mount it is on is nodev'),
    nosuid: z.boolean().describe('the mount it is on is nosuid'),
    secret: z.boolean().describe('the outside secret itself, or the disk it is on'),
  })
  .describe('something in the jail when the probe started, as the probe saw it (its mounts\' flags included)');
export type JailItem = z.infer<typeof JailItem>;

export const TraceHighlights = z
  .object({
    outside: z.number().int().nullable().describe('the first step where the probe reached outside the jail (a cwd, a root, a descriptor, a file, a process)'),
    secret: z.number().int().nullable().describe('the step that opened the secret (or the disk it is on)'),
    refused: z.number().int().nullable().describe('for a contained probe: the call that was refused, and why (its errno)'),
  })
  .describe('the steps worth pointing at (indexes into steps), found by the server from the steps themselves');
export type TraceHighlights = z.infer<typeof TraceHighlights>;

export const CheckTrace = z
  .object({
    steps: z.array(TraceStep).max(MAX_TRACE_STEPS).describe('the system calls, in order'),
    truncated: z
      .object({
        afterSteps: z.number().int().describe('steps recorded in full before only landmarks were'),
        dropped: z.number().int().describe('steps not recorded'),
      })
      .nullable().describe('set when steps were left out: recorded up to `afterSteps`, then only landmarks; `dropped` others not recorded'),
    initial: TraceSnapshot.nullable().describe('where the jail program started (root, cwd, descriptors, credentials)'),
    jail: Text.describe('the jail tree\'s real path (/jail, or what /jail pointed to when the program started)'),
    jailAtProbeStart: z
      .object({
        items: z.array(JailItem).max(32).describe('the things worth pointing at'),
        entries: z.number().int().describe('how many entries the jail held'),
      })
      .nullable().describe('what was in the jail when the probe started; null when the probe never started'),
    highlights: TraceHighlights,
    notes: z.array(Text).max(8).describe('things to know about this trace ("from step 12 every call was watched")'),
    // The check's verdict is its first run's, made with the agent watching execs and exits only.
    secondRun: z
      .object({ verdict: Verdict.describe('how the second run was judged') })
      .nullable()
      .default(null)
      .describe('set when the replay was recorded on a second run of the check: how that second run ended. Null: recorded on the run judged'),
  })
  .describe('the escape replay of one check: what the jail program, the probe and their children did, one system call per step');
export type CheckTrace = z.infer<typeof CheckTrace>;
