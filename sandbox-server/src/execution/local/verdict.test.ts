import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../lessons/lesson.js';
import type { CheckDone } from '../../vm/guest-job.js';
import { judgeCheck, PROBE_STARTED } from './verdict.js';

const secrets = { secret: 'SECRET-abc123', nonce: 'nonce-xyz', token: 'ticket-777' };
const done = (over: Partial<CheckDone> = {}): CheckDone => ({ index: 0, exitCode: 0, signal: null, limit: null, wallMs: 10, proof: null, detail: null, phases: { prepareMs: 1, straysMs: 0, baselineMs: 0, worldMs: 1, accomplicesMs: 0, probeStartedMs: 2, killMs: null, drainMs: 1 }, raceNote: null, traceStops: 0, trace: null, ...over });
const out = (...lines: string[]): Buffer => Buffer.from(lines.join('\r\n') + '\r\n');

describe('judging an escape probe', () => {
  it('says escaped when the secret appears, with the line as evidence', () => {
    const j = judgeCheck('escape', out(`${PROBE_STARTED} p`, '[p] escape: relative path ../outside/secret -> SECRET-abc123'), done(), secrets, DEFAULT_LIMITS);
    expect(j.verdict).toBe('escaped');
    expect(j.evidence).toContain('SECRET-abc123');
    expect(j.reason).toContain('relative path ../outside/secret');
  });

  it('never trusts a probe that only claims to have escaped', () => {
    const j = judgeCheck('escape', out(`${PROBE_STARTED} p`, '[p] escape: trust me -> SECRET-000000'), done(), secrets, DEFAULT_LIMITS);
    expect(j.verdict).toBe('contained');
  });

  it('says escaped when the nonce was written outside, even with no output', () => {
    const j = judgeCheck('escape', Buffer.alloc(0), done({ proof: Buffer.from('nonce-xyz') }), secrets, DEFAULT_LIMITS);
    expect(j.verdict).toBe('escaped');
  });

  it('finds the secret through colour codes and a carriage return', () => {
    const j = judgeCheck('escape', Buffer.from(`${PROBE_STARTED}\r\n\x1b[31mSECRET-abc123\x1b[0m\r`), done(), secrets, DEFAULT_LIMITS);
    expect(j.verdict).toBe('escaped');
  });

  it('says contained with the failing call when the probe ran and got nothing', () => {
    const j = judgeCheck('escape', out(`${PROBE_STARTED} p`, '[p] blocked: open("../outside/secret"): No such file or directory (ENOENT)'), done({ exitCode: 1 }), secrets, DEFAULT_LIMITS);
    expect(j.verdict).toBe('contained');
    expect(j.reason).toBe('contained: open("../outside/secret"): No such file or directory (ENOENT)');
  });

  it('calls a probe that never started an error, not contained, and says why', () => {
    expect(judgeCheck('escape', out('chroot: Operation not permitted'), done({ exitCode: 1 }), secrets, DEFAULT_LIMITS)).toMatchObject({ verdict: 'error', reason: expect.stringContaining('exited with status 1') });
    expect(judgeCheck('escape', Buffer.alloc(0), done({ exitCode: null, signal: 11 }), secrets, DEFAULT_LIMITS).reason).toContain('SIGSEGV');
    expect(judgeCheck('escape', Buffer.alloc(0), done({ exitCode: null, signal: 9, limit: 'time' }), secrets, DEFAULT_LIMITS)).toMatchObject({ verdict: 'error', limit: 'time', reason: expect.stringContaining('time limit (5 s)') });
  });
});

describe('judging a service check', () => {
  it('passes only when the planted token is printed after the probe started', () => {
    expect(judgeCheck('service', out(`${PROBE_STARTED} s`, 'read -> ticket-777'), done(), secrets, DEFAULT_LIMITS).verdict).toBe('passed');
    expect(judgeCheck('service', out('ticket-777'), done(), secrets, DEFAULT_LIMITS).verdict).toBe('failed');
    expect(judgeCheck('service', out(`${PROBE_STARTED} s`, '[s] blocked: open("/data/ticket"): Permission denied (EACCES)'), done({ exitCode: 1 }), secrets, DEFAULT_LIMITS).reason).toContain('Permission denied');
  });

  it('says how a race on cue found its window, after the verdict', () => {
    const note = 'the jail\'s path was looked up by chdir(), then again by chroot(); the symlink on it was swapped in between';
    const escaped = judgeCheck('escape', out(`${PROBE_STARTED} p`, '[p] escape: working directory left above the swapped root, then ../outside/secret -> SECRET-abc123'), done({ raceNote: note }), secrets, DEFAULT_LIMITS);
    expect(escaped.verdict).toBe('escaped');
    expect(escaped.reason).toBe(`escaped: read the outside secret via working directory left above the swapped root, then ../outside/secret; ${note}`);
    const none = 'chroot(".") did not look the jail\'s path up again: there was no window to swap it in';
    expect(judgeCheck('escape', out(`${PROBE_STARTED} p`), done({ raceNote: none }), secrets, DEFAULT_LIMITS).reason).toBe(`contained: the probe found no way out; ${none}`);
  });
});
