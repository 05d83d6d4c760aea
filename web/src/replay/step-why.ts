import type { TraceStep, TraceWhere } from '@jaillab/protocol';
import type { Mark } from './trace-view.js';

/**
 * Why a highlighted step matters, in one line: the replay's marks say *where* the probe got out (or was stopped);
 * this says *why*, from what the step itself recorded (the call, its result, where the root and cwd are after it,
 * what a descriptor refers to) and, for a descriptor, the earlier step that opened it. Nothing is guessed from
 * the lesson: a line is only said when the step shows it.
 */

const ERRNO_WHY: Record<string, string> = {
  EPERM: 'the process lacks the privilege it needs',
  EACCES: 'permission denied',
  ENOENT: 'no such file: that path does not lead out of the jail',
  EROFS: 'the file system is read-only',
  ENOSYS: 'the call is not available here',
  EXDEV: 'it crosses a mount the call may not cross',
  EINVAL: 'the kernel turned the arguments down',
};

const KERNEL_HOOK = /\/sys\/kernel\/(core_pattern|modprobe)$|\/release_agent$/;

const outside = (w: TraceWhere | undefined): boolean => w !== undefined && !w.inside && !w.foreign;

/** Who opened descriptor `fd` before step `before` (the latest such step), if the trace shows it. */
function openerOf(steps: readonly TraceStep[], before: number, fd: number): TraceStep | null {
  for (let k = before - 1; k >= 0; k--) {
    const s = steps[k];
    if (s && s.errno === null && s.opened?.fd === fd) return s;
  }
  return null;
}

function descriptorOrigin(steps: readonly TraceStep[], s: TraceStep, fd: number): string {
  const opener = openerOf(steps, steps.indexOf(s), fd);
  if (!opener) return `descriptor ${fd}, which it inherited (it never opened it)`;
  if (opener.proc === 'jailer') return `descriptor ${fd}, which the jail program opened at step ${opener.i + 1} and left open`;
  return `descriptor ${fd}, opened at step ${opener.i + 1}`;
}

export function stepWhy(s: TraceStep, mark: Mark, steps: readonly TraceStep[], cwdAfter: TraceWhere | null): string | null {
  if (mark === 'refused') {
    if (!s.errno) return null;
    return `${s.call}() was refused with ${s.errno}${ERRNO_WHY[s.errno] ? `: ${ERRNO_WHY[s.errno]}` : ''}. Here the jail held.`;
  }
  if (mark === 'secret') {
    const via = s.opened && !s.args.some((a) => a.startsWith('"/')) && outside(cwdAfter ?? undefined) ? ' through a relative path, from a cwd outside the jail' : '';
    return `${s.call}() opened the outside secret${via}: the canary the jail was to hide, read by the probe.`;
  }
  // The first step outside: what took it there.
  if (s.call === 'fchdir' && outside(s.after?.cwd)) {
    const fd = Number(s.args[0]);
    const through = Number.isInteger(fd) ? `, through ${descriptorOrigin(steps, s, fd)}` : '';
    return `fchdir() moved the cwd outside the jail, to ${s.after!.cwd!.path}${through}: a descriptor is not a path, and chroot() does not close it.`;
  }
  if (outside(s.after?.root)) return `${s.call}() put the process's root outside the jail, at ${s.after!.root!.path}: "/" is the machine's own again.`;
  if (outside(s.after?.cwd)) return `${s.call}() moved the cwd outside the jail, to ${s.after!.cwd!.path}: relative paths now start out there.`;
  if (s.opened && KERNEL_HOOK.test(s.opened.path)) return `${s.call}() opened ${s.opened.path} for writing: the kernel runs the program named there as root, outside every jail.`;
  if (s.opened?.kind === 'block-device') return `${s.call}() opened the disk's device node ${s.opened.path}: through it, every file on the disk is readable, outside included.`;
  if (s.fds?.some((f) => outside(f))) return `${s.call}() carried a descriptor for ${s.fds.find((f) => outside(f))!.path} across a socket: a way out handed in from outside.`;
  if (outside(s.target)) return `${s.call}() took hold of a process rooted at ${s.target!.path}, outside the jail: what it can reach, the probe can.`;
  if (s.opened && outside(s.opened))
    return s.call === 'open_by_handle_at'
      ? `open_by_handle_at() opened ${s.opened.path} by its file handle: a handle names a file without a path, so the jail's root does not limit it.`
      : `${s.call}() opened ${s.opened.path}, outside the jail.`;
  return null;
}
