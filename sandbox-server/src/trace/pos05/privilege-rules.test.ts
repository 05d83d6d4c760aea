import type { CheckTrace, TraceCreds, TraceStep } from '@jaillab/protocol';
import { describe, expect, it } from 'vitest';
import { privilegeRules } from './privilege-rules.js';
import { traceFacts } from './trace-facts.js';

/** Credentials as the tracer reports them: uid and gid triples (+ fs), groups, no capabilities unless root. */
const creds = (uid: number, gid: number, groups: number[] = []): TraceCreds => ({
  uid: [uid, uid, uid, uid],
  gid: [gid, gid, gid, gid],
  groups,
  capPrm: uid === 0 ? '1ffffffffff' : '0',
  capEff: uid === 0 ? '1ffffffffff' : '0',
  capBnd: '1ffffffffff',
  noNewPrivs: false,
  seccomp: 2,
});

type Call = [call: string, args: string[], errno?: string | null, after?: TraceCreds];

/** A jail program's trace: its calls in order, then the execve that started the probe. */
function trace(calls: Call[]): CheckTrace {
  const steps = [...calls, ['execve', ['"/probe"']] as Call].map(([call, args, errno = null, after], i): TraceStep => ({
    i,
    pid: 10,
    proc: 'jailer',
    call,
    args,
    result: errno ? -1 : 0,
    errno,
    ...(after ? { after: { creds: after } } : {}),
    ...(call === 'execve' ? { became: 'probe' as const, after: { creds: calls.map((c) => c[3]).filter(Boolean).at(-1) ?? creds(0, 0) } } : {}),
  }));
  return { steps, truncated: null, initial: { root: { path: '/' }, cwd: { path: '/' }, creds: creds(0, 0) }, jail: '/jail' } as unknown as CheckTrace;
}

const findings = (t: CheckTrace): string[] => {
  const facts = traceFacts(t);
  return Object.entries(privilegeRules).filter(([, check]) => check!(facts, t) !== null).map(([rule]) => rule);
};

const BUILD: Call[] = [['chroot', ['"/jail"']], ['chdir', ['"/"']]];
const DROP: Call[] = [['setgroups', ['0', 'NULL'], null, creds(0, 0, [])], ['setgid', ['1000'], null, creds(0, 1000)], ['setuid', ['1000'], null, creds(1000, 1000)]];

describe('the privilege rules, from what a trace can show', () => {
  it('a program that proves its drop is permanent (every call that must fail, fails) gets no finding', () => {
    const proofs: Call[] = [
      ['setuid', ['0'], 'EPERM'],
      ['setgid', ['0'], 'EPERM'],
      ['setresuid', ['-1', '0', '-1'], 'EPERM'],
      ['setgid', ['2000'], 'EPERM'],
      ['setresgid', ['2000', '2000', '2000'], 'EPERM'],
      ['setgroups', ['1', '[0]'], 'EPERM'],
      ['chroot', ['"."'], 'EPERM'],
      ['pivot_root', ['"."', '"."'], 'EPERM'],
      ['chdir', ['"/outside"'], 'ENOENT'],
    ];
    expect(findings(trace([...BUILD, ...DROP, ...proofs]))).toEqual([]);
  });

  it('a jail step that fails as root, then the exec, is a failure the program went on after', () => {
    expect(findings(trace([['chroot', ['"/no-such-directory"'], 'ENOENT'], ['chdir', ['"/"']], ...DROP]))).toEqual(['unchecked-failure']);
    expect(findings(trace([...BUILD, ['setgroups', ['0', 'NULL'], null, creds(0, 0, [])], ['setgid', ['1000'], 'EPERM'], ['setuid', ['1000'], null, creds(1000, 0)]])).sort()).toEqual(['not-permanent', 'unchecked-failure']);
  });

  it('a failure made good by a later call of the same kind is handled', () => {
    expect(findings(trace([['chroot', ['"/jial"'], 'ENOENT'], ...BUILD, ...DROP]))).toEqual([]);
    expect(findings(trace([['setgroups', ['0', 'NULL'], 'EPERM'], ...BUILD, ...DROP]))).toEqual([]);
    // pivot_root() first, chroot() as the fallback.
    expect(findings(trace([['pivot_root', ['"."', '"."'], 'EINVAL'], ...BUILD, ...DROP]))).toEqual([]);
  });

  it('a program that checks nothing and drops in the wrong order: the order, the gid left, the ignored failure', () => {
    const t = trace([...BUILD, ['setgroups', ['0', 'NULL'], null, creds(0, 0, [])], ['setuid', ['1000'], null, { ...creds(1000, 0) }], ['setgid', ['1000'], 'EPERM']]);
    expect(findings(t).sort()).toEqual(['not-permanent', 'setuid-before-setgid', 'unchecked-failure']);
  });
});
