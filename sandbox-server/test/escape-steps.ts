import type { CheckTrace, TraceStep } from '@jaillab/protocol';

/**
 * What the replay of each escape probe must hold when it escapes a weak jail:
 * the steps that make the escape, in order, and which of them the replay
 * highlights as the first step outside. Written from what each probe does
 * (lessons/probes/<id>/probe.c), checked against real traces by lessons:check.
 */
export interface EscapeStep {
  what: string;
  match(s: TraceStep): boolean;
}

export interface EscapeSteps {
  steps: EscapeStep[];
  /** The index in `steps` of the step highlighted as the first one outside; null: this escape never leaves the jail (it reads a copy). */
  outside: number | null;
  /** The index in `steps` of the step highlighted as the one that read the secret; null when the secret is read by a program outside (the kernel's helper, a traced-into process). */
  secret: number | null;
}

const ok = (s: TraceStep): boolean => s.errno === null && s.result !== null;
const untrusted = (s: TraceStep): boolean => s.proc === 'probe' || s.proc === 'other';
const step = (what: string, match: (s: TraceStep) => boolean): EscapeStep => ({ what, match: (s) => ok(s) && match(s) });

const readsSecret = step('opens the outside secret', (s) => untrusted(s) && s.opened?.secret === true && s.opened.kind !== 'block-device');
const readsSecretUp = step('opens the secret by a path that walks up with ".."', (s) => untrusted(s) && s.opened?.secret === true && /\.\.\//.test(s.args.join(' ')));
const cwdOut = (call: string): EscapeStep => step(`${call}() puts the cwd outside the jail`, (s) => untrusted(s) && s.call === call && s.after?.cwd?.inside === false);
const receivesOutside = step('receives a descriptor of a directory outside over a socket', (s) => untrusted(s) && s.call === 'recvmsg' && (s.fds ?? []).some((fd) => !fd.inside));
const writesHook = (file: RegExp): EscapeStep => step(`opens ${file.source} for writing`, (s) => s.proc === 'probe' && file.test(s.opened?.path ?? '') && /O_WRONLY|O_RDWR/.test(s.args.join(' ')));
const mounts = (fs: string): EscapeStep => step(`mounts a ${fs} filesystem`, (s) => s.proc === 'probe' && s.call === 'mount' && s.args[2] === `"${fs}"`);
const viaProc = step('opens the secret through /proc/<pid>/root', (s) => untrusted(s) && s.opened?.secret === true && /proc\/\d+\/root\//.test(s.args[0] ?? ''));

export const ESCAPE_STEPS: Record<string, EscapeSteps> = {
  'cwd-outside': { steps: [readsSecretUp], outside: 0, secret: 0 },
  'leaked-fd': { steps: [cwdOut('fchdir'), readsSecretUp], outside: 0, secret: 1 },
  'chroot-again': {
    steps: [
      step('chroot()s again, into a directory below its root', (s) => s.proc === 'probe' && s.call === 'chroot' && s.after?.root?.inside === true),
      cwdOut('chdir'),
      step('chroot(".") at the real root', (s) => s.proc === 'probe' && s.call === 'chroot' && s.after?.root?.inside === false),
      readsSecret,
    ],
    outside: 1,
    secret: 3,
  },
  'mount-proc': { steps: [mounts('proc'), viaProc], outside: 1, secret: 1 },
  'root-comes-back': {
    steps: [step('gets root back, or a descriptor that only root was given', (s) => s.proc === 'probe' && ((/^setres?uid$/.test(s.call) && s.args.every((a) => a === '0' || a === '-1')) || (s.call === 'recvmsg' && (s.fds ?? []).some((fd) => !fd.inside)))), readsSecret],
    outside: null,
    secret: 1,
  },
  'mknod-disk': { steps: [step('opens the disk the secret is on', (s) => s.proc === 'probe' && s.opened?.kind === 'block-device' && s.opened.secret === true)], outside: 0, secret: 0 },
  'setuid-binary': {
    steps: [
      step('runs a set-user-ID program of the jail', (s) => s.proc === 'probe' && s.call === 'execve' && s.became === 'probe'),
      step('becomes root', (s) => s.proc === 'probe' && /^setres?uid$/.test(s.call) && s.args[0] === '0'),
      step('chroot(".") at the real root', (s) => s.proc === 'probe' && s.call === 'chroot' && s.after?.root?.inside === false),
      readsSecret,
    ],
    outside: null,
    secret: 3,
  },
  'proc-root': { steps: [viaProc], outside: 0, secret: 0 },
  'hardlink-secret': { steps: [step('opens a file in the jail that is the secret itself (a hard link)', (s) => s.proc === 'probe' && s.opened?.secret === true && s.opened.inside)], outside: 0, secret: 0 },
  'copied-too-much': {
    steps: [
      step('the jail program reads a file outside', (s) => s.proc === 'jailer' && s.opened?.path === '/etc/backup.conf'),
      step('and writes it into the jail', (s) => s.proc === 'jailer' && s.opened?.path.endsWith('/etc/backup.conf') === true && s.opened.inside),
      step('the probe opens the copy', (s) => s.proc === 'probe' && s.opened?.path.endsWith('/etc/backup.conf') === true),
    ],
    outside: null,
    secret: null,
  },
  'squatted-jail': {
    steps: [step('the jail program chroot()s into a directory someone else made', (s) => s.proc === 'jailer' && s.call === 'chroot' && s.after?.root?.inside === false), receivesOutside, cwdOut('fchdir'), readsSecret],
    outside: 1,
    secret: 3,
  },
  'fd-passing': { steps: [receivesOutside, cwdOut('fchdir'), readsSecret], outside: 0, secret: 2 },
  'path-race': {
    steps: [
      step('the jail program chdir()s to the jail by its path', (s) => s.proc === 'jailer' && s.call === 'chdir'),
      { what: 'the accomplice swaps the path while the jail program waits', match: (s) => s.proc === 'accomplice' && s.note !== undefined },
      step('the jail program chroot()s by the same path, now another directory', (s) => s.proc === 'jailer' && s.call === 'chroot'),
      readsSecretUp,
    ],
    outside: 3,
    secret: 3,
  },
  'ptrace-outside': {
    steps: [step('attaches to a process outside the jail', (s) => s.proc === 'probe' && s.call === 'ptrace' && s.target?.inside === false), step('writes code into it', (s) => s.proc === 'probe' && s.call === 'ptrace' && /POKE/.test(s.args[0] ?? ''))],
    outside: 0,
    secret: null,
  },
  'open-by-handle': { steps: [step('opens a directory outside by its file handle', (s) => s.proc === 'probe' && s.call === 'open_by_handle_at' && s.opened?.inside === false), cwdOut('fchdir'), readsSecret], outside: 0, secret: 2 },
  'core-pattern': { steps: [mounts('proc'), writesHook(/\/sys\/kernel\/core_pattern$/), step('forks a child to crash', (s) => s.proc === 'probe' && /^(fork|clone|clone3|vfork)$/.test(s.call))], outside: 1, secret: null },
  'modprobe-path': { steps: [mounts('proc'), writesHook(/\/sys\/kernel\/modprobe$/), { what: 'runs a file of unknown format', match: (s) => s.proc === 'probe' && s.call === 'execve' && s.errno === 'ENOEXEC' }], outside: 1, secret: null },
  'release-agent': { steps: [mounts('cgroup'), writesHook(/\/release_agent$/), writesHook(/\/notify_on_release$/)], outside: 1, secret: null },
};

/** What is missing from a trace for this escape, as lines (empty: it holds every step, in order, and the highlights). */
export function escapeProblems(probe: string, trace: CheckTrace): string[] {
  const want = ESCAPE_STEPS[probe];
  if (!want) return [`no expected escape steps written for ${probe}`];
  const found: number[] = [];
  let from = 0;
  for (const w of want.steps) {
    const at = trace.steps.findIndex((s, k) => k >= from && w.match(s));
    if (at < 0) return [`${probe}: the replay lacks a step that ${w.what}${found.length ? ` (after step ${trace.steps[found.at(-1)!]!.i})` : ''}`];
    found.push(at);
    from = at + 1;
  }
  const problems: string[] = [];
  const idx = (k: number | null): number | null => (k === null ? null : trace.steps[found[k]!]!.i);
  // The highlight is the first step outside, which may come before the one this list names (a probe tries several ways).
  if (want.outside !== null && (trace.highlights.outside === null || trace.highlights.outside > idx(want.outside)!)) problems.push(`${probe}: highlighted outside at ${trace.highlights.outside}, expected at or before step ${idx(want.outside)} (${want.steps[want.outside]!.what})`);
  if (want.secret !== null && (trace.highlights.secret === null || trace.highlights.secret > idx(want.secret)!)) problems.push(`${probe}: highlighted secret at ${trace.highlights.secret}, expected at or before step ${idx(want.secret)}`);
  return problems;
}
