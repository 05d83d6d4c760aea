import type { TraceStep, TraceWhere } from '@jaillab/protocol';
import { describe, expect, it } from 'vitest';
import { stepWhy } from './step-why.js';

const where = (path: string, inside: boolean): TraceWhere => ({ path, inside, belowRoot: inside });
const step = (s: Partial<TraceStep> & Pick<TraceStep, 'i' | 'call'>): TraceStep => ({ pid: 40, proc: 'probe', args: [], result: 0, errno: null, ...s }) as TraceStep;

const jailerOpen = step({ i: 0, proc: 'jailer', call: 'openat', args: ['AT_FDCWD', '"."', 'O_RDONLY|O_DIRECTORY'], result: 3, opened: { ...where('/root', false), fd: 3 } });
const chroot = step({ i: 1, proc: 'jailer', call: 'chroot', args: ['"/jail"'], after: { root: where('/jail', true), cwd: where('/root', false) } });
const fchdir = step({ i: 4, call: 'fchdir', args: ['3'], after: { cwd: where('/root', false) } });
const secret = step({ i: 6, call: 'openat', args: ['AT_FDCWD', '"../outside/secret"', 'O_RDONLY'], result: 4, opened: { ...where('/outside/secret', false), fd: 4, secret: true } });

describe('why a highlighted step matters', () => {
  it('names the descriptor the jail program left open behind an fchdir() out', () => {
    expect(stepWhy(fchdir, 'outside', [jailerOpen, chroot, fchdir], null)).toBe(
      'fchdir() moved the cwd outside the jail, to /root, through descriptor 3, which the jail program opened at step 1 and left open: a descriptor is not a path, and chroot() does not close it.',
    );
    // With no opener in the trace, it says the probe inherited it.
    expect(stepWhy(fchdir, 'outside', [fchdir], null)).toContain('descriptor 3, which it inherited');
  });

  it('says a relative open from a cwd outside read the secret', () => {
    expect(stepWhy(secret, 'secret', [secret], where('/root', false))).toBe(
      'openat() opened the outside secret through a relative path, from a cwd outside the jail: the canary the jail was to hide, read by the probe.',
    );
    expect(stepWhy(secret, 'secret', [secret], where('/jail', true))).not.toContain('relative path');
  });

  it('explains a root, a kernel hook and a file handle outside', () => {
    expect(stepWhy(step({ i: 2, call: 'chroot', args: ['"."'], after: { root: where('/', false) } }), 'outside', [], null)).toMatch(/^chroot\(\) put the process's root outside the jail, at \/:/);
    expect(stepWhy(step({ i: 2, call: 'openat', result: 3, opened: { ...where('/jail/proc/sys/kernel/core_pattern', true), fd: 3 } }), 'outside', [], null)).toMatch(/the kernel runs the program named there as root/);
    expect(stepWhy(step({ i: 2, call: 'open_by_handle_at', result: 4, opened: { ...where('/outside', false), fd: 4 } }), 'outside', [], null)).toMatch(/a handle names a file without a path/);
  });

  it('gives a refusal its errno in words, and says nothing it cannot show', () => {
    expect(stepWhy(step({ i: 3, call: 'chroot', result: -1, errno: 'EPERM' }), 'refused', [], null)).toBe('chroot() was refused with EPERM: the process lacks the privilege it needs. Here the jail held.');
    expect(stepWhy(step({ i: 3, call: 'getpid' }), 'outside', [], null)).toBeNull();
  });
});
