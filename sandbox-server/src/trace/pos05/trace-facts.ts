import type { CheckTrace, TraceCreds, TraceStep } from '@jaillab/protocol';

/**
 * What the checker reads off a trace, once: the jail program's own steps, the
 * step that started the untrusted program and where it started, and the
 * credentials as they changed. Every rule works from these facts, never from
 * the program's source.
 */
export interface TraceFacts {
  /** The learner's program (and what it forked) before and around the exec of the probe. */
  jailer: TraceStep[];
  /** The successful execve that turned the jail program into the probe, if it happened. */
  start: TraceStep | null;
  /** Where the probe started: the snapshot of that execve. */
  startCreds: TraceCreds | null;
  /** The first call that took the effective uid away from 0. */
  uidDrop: TraceStep | null;
  /** The credentials a step was made with (the last ones the trace showed before it). */
  credsBefore: ReadonlyMap<number, TraceCreds>;
}

export const ok = (s: TraceStep): boolean => s.errno === null && s.result !== null;

/** The text of a quoted string argument ("\"/jail\"" → "/jail"), or null when it is not one. */
export function unquote(arg: string | undefined): string | null {
  if (!arg || arg.length < 2 || !arg.startsWith('"') || !arg.endsWith('"')) return null;
  return arg.slice(1, -1).replace(/\\(["\\])/g, '$1');
}

/** The ids a set*id call asks for (-1: unchanged, left out). */
export function requestedIds(s: TraceStep): number[] {
  return s.args.map(Number).filter((n) => Number.isInteger(n) && n !== -1);
}

export const SET_UID = new Set(['setuid', 'setreuid', 'setresuid']);
export const SET_GID = new Set(['setgid', 'setregid', 'setresgid', 'setgroups']);

export function traceFacts(trace: CheckTrace): TraceFacts {
  const jailer = trace.steps.filter((s) => s.proc === 'jailer');
  const start = jailer.find((s) => s.became === 'probe' && ok(s)) ?? null;
  let euid = trace.initial?.creds?.uid[1] ?? 0;
  let uidDrop: TraceStep | null = null;
  const credsBefore = new Map<number, TraceCreds>();
  let creds = trace.initial?.creds;
  for (const s of jailer) {
    if (creds) credsBefore.set(s.i, creds);
    creds = s.after?.creds ?? creds;
    const now = s.after?.creds?.uid[1];
    if (now === undefined) continue;
    if (!uidDrop && euid === 0 && now !== 0 && SET_UID.has(s.call)) uidDrop = s;
    euid = now;
  }
  return { jailer, start, startCreds: start?.after?.creds ?? null, uidDrop, credsBefore };
}

/** A capability mask in hex is empty. */
export const noCapabilities = (hex: string): boolean => /^0*$/.test(hex);
