import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../lessons/lesson.js';
import type { CheckDone, ProbeSeen } from '../../vm/guest-job.js';
import { judgeCheck } from './verdict.js';

/**
 * The verdict from the facts the agent sends (ProbeSeen): unit tests with the
 * facts made up. forged-verdicts.vm.test.ts has real programs produce them.
 */
const secrets = { secret: 'SECRET-abc123', nonce: 'nonce-xyz', token: 'ticket-777' };
const PROGRAM = 'jailer: chroot("/jail") and chdir("/") done\r\n';
const AT = Buffer.byteLength(PROGRAM);
const seen = (over: Partial<ProbeSeen> = {}): ProbeSeen => ({ started: true, exit: { code: 1, signal: null }, outputAt: AT, impostor: null, voided: null, held: 0, ...over });
const done = (over: Partial<CheckDone> = {}, probe: Partial<ProbeSeen> = {}): CheckDone => ({
  index: 0,
  exitCode: 0,
  signal: null,
  probe: seen(probe),
  limit: null,
  wallMs: 10,
  proof: null,
  detail: null,
  phases: { prepareMs: 1, straysMs: 0, baselineMs: 0, worldMs: 1, accomplicesMs: 0, namespacesMs: 1, programExecMs: 1, probeStartedMs: 2, probeReleasedMs: 1, killMs: null, drainMs: 1 },
  raceNote: null,
  traceStops: 0,
  trace: null,
  ...over,
});
/** The program's line, then the probe's. */
const out = (...probeLines: string[]): Buffer => Buffer.from(PROGRAM + probeLines.map((l) => `${l}\r\n`).join(''));
const judge = (kind: 'escape' | 'service', output: Buffer, d: CheckDone) => judgeCheck(kind, output, d, secrets, DEFAULT_LIMITS);

describe('judging an escape probe', () => {
  it('says escaped when the secret appears in what the probe printed, with the line as evidence', () => {
    const j = judge('escape', out('[p] escape: relative path ../outside/secret -> SECRET-abc123'), done({}, { exit: { code: 0, signal: null } }));
    expect(j).toMatchObject({ verdict: 'escaped', evidence: expect.stringContaining('SECRET-abc123'), reason: 'escaped: read the outside secret via relative path ../outside/secret' });
  });

  it('never trusts a probe that only claims to have escaped', () => {
    expect(judge('escape', out('[p] escape: trust me -> SECRET-000000'), done()).verdict).toBe('contained');
  });

  it('says escaped when the nonce was written outside after the probe started, even with no output', () => {
    expect(judge('escape', Buffer.from(PROGRAM), done({ proof: Buffer.from('nonce-xyz') })).verdict).toBe('escaped');
  });

  it("takes the probe's own exit status 0 as its report of an escape when its words did not arrive", () => {
    const j = judge('escape', Buffer.from(PROGRAM), done({}, { exit: { code: 0, signal: null } }));
    expect(j).toMatchObject({ verdict: 'escaped', reason: expect.stringContaining('reported an escape') });
  });

  it('finds the secret through colour codes and a carriage return', () => {
    expect(judge('escape', Buffer.from(`${PROGRAM}\x1b[31mSECRET-abc123\x1b[0m\r`), done()).verdict).toBe('escaped');
  });

  it('says contained with the failing call when the probe ended by itself, reporting no way out', () => {
    const j = judge('escape', out('[p] blocked: open("../outside/secret"): No such file or directory (ENOENT)'), done());
    expect(j).toMatchObject({ verdict: 'contained', reason: 'contained: open("../outside/secret"): No such file or directory (ENOENT)' });
  });

  it('says contained when the kernel killed the probe for the jail\'s seccomp filter (SIGSYS)', () => {
    expect(judge('escape', out(), done({}, { exit: { code: null, signal: 31 } }))).toMatchObject({ verdict: 'contained', reason: expect.stringContaining('SIGSYS') });
  });

  it('reads the probe\'s "blocked" line from its own output only, never from what the program printed before', () => {
    const program = Buffer.from('[p] blocked: open("x"): a reason the program made up\r\n');
    const j = judge('escape', Buffer.concat([program, Buffer.from('[p] contained\r\n')]), done({}, { outputAt: program.byteLength }));
    expect(j).toMatchObject({ verdict: 'contained', reason: 'contained: the probe found no way out' });
  });

  it('is no escape of the probe when the program printed the secret itself, and says so', () => {
    const program = Buffer.from('I read SECRET-abc123\r\n');
    const j = judge('escape', Buffer.concat([program, Buffer.from('[p] blocked: open("x"): EACCES\r\n')]), done({}, { outputAt: program.byteLength }));
    expect(j.verdict).toBe('contained');
    expect(j.reason).toMatch(/your program printed the secret itself/);
    expect(judge('escape', Buffer.from('SECRET-abc123\r\n'), done({}, { started: false, exit: null }))).toMatchObject({ verdict: 'error', reason: expect.stringMatching(/printed the outside secret itself and never started the probe/) });
  });

  it('calls a probe that never started an error, whatever the program printed, and says why', () => {
    const forged = Buffer.from('jaillab-probe: started p\r\n[p] blocked: open("../outside/secret"): ENOENT\r\n');
    expect(judge('escape', forged, done({ exitCode: 0 }, { started: false, exit: null }))).toMatchObject({ verdict: 'error', reason: expect.stringContaining('exited with status 0 without starting the probe') });
    expect(judge('escape', Buffer.alloc(0), done({ exitCode: null, signal: 11 }, { started: false, exit: null })).reason).toContain('SIGSEGV');
    expect(judge('escape', Buffer.alloc(0), done({ exitCode: null, signal: 9, limit: 'time' }, { started: false, exit: null }))).toMatchObject({ verdict: 'error', limit: 'time', reason: expect.stringContaining('time limit (5 s)') });
  });

  it('names a look-alike the program ran instead of the probe', () => {
    expect(judge('escape', out('[p] blocked: x'), done({}, { started: false, exit: null, impostor: '/jail/bin/p' }))).toMatchObject({ verdict: 'error', reason: expect.stringContaining('/jail/bin/p, which is not the probe') });
  });

  it('cannot judge a probe whose world or output the program changed, and says what it did', () => {
    const j = judge('escape', out(), done({}, { exit: null, voided: 'your program removed or hid /outside/secret before it started the probe' }));
    expect(j).toMatchObject({ verdict: 'error', reason: 'this check cannot be judged: your program removed or hid /outside/secret before it started the probe' });
  });

  it('cannot judge a probe killed by another signal, or ending with a status it never reports', () => {
    expect(judge('escape', out(), done({}, { exit: { code: null, signal: 14 } }))).toMatchObject({ verdict: 'error', reason: expect.stringContaining('killed by SIGALRM') });
    expect(judge('escape', out(), done({}, { exit: { code: 3, signal: null } }))).toMatchObject({ verdict: 'error', reason: expect.stringContaining('signal pending') });
    expect(judge('escape', out(), done({}, { exit: { code: 42, signal: null } }))).toMatchObject({ verdict: 'error', reason: expect.stringContaining('status 42') });
    expect(judge('escape', out(), done({}, { exit: null }))).toMatchObject({ verdict: 'error', reason: expect.stringContaining('did not end by itself') });
  });
});

describe('judging a service check', () => {
  it('passes only when the service printed the planted token after it started, and ended with status 0', () => {
    expect(judge('service', out('read -> ticket-777'), done({}, { exit: { code: 0, signal: null } })).verdict).toBe('passed');
    expect(judge('service', out('read -> ticket-777'), done({}, { exit: { code: null, signal: 9 } })).verdict).toBe('failed');
    expect(judge('service', out('[s] blocked: open("/data/ticket"): Permission denied (EACCES)'), done()).reason).toContain('Permission denied');
  });

  it('fails a program that printed the ticket itself, before or instead of the service', () => {
    const program = Buffer.from('ticket-777\r\n');
    expect(judge('service', Buffer.concat([program, Buffer.from('[s] blocked: open("/data/ticket"): ENOENT\r\n')]), done({}, { outputAt: program.byteLength })).verdict).toBe('failed');
    expect(judge('service', program, done({}, { started: false, exit: null }))).toMatchObject({ verdict: 'failed', reason: expect.stringContaining('printed the ticket itself') });
  });

  it('says how a race on cue found its window, after the verdict', () => {
    const note = 'the jail\'s path was looked up by chdir(), then again by chroot(); the symlink on it was swapped in between';
    const escaped = judge('escape', out('[p] escape: working directory left above the swapped root, then ../outside/secret -> SECRET-abc123'), done({ raceNote: note }, { exit: { code: 0, signal: null } }));
    expect(escaped.reason).toBe(`escaped: read the outside secret via working directory left above the swapped root, then ../outside/secret; ${note}`);
    const none = 'chroot(".") did not look the jail\'s path up again: there was no window to swap it in';
    expect(judge('escape', out(), done({ raceNote: none })).reason).toBe(`contained: the probe found no way out; ${none}`);
  });
});
