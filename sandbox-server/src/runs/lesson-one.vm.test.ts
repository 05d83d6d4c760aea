import { describe, expect, inject, it } from 'vitest';
import { JailLabClient } from '../client/jaillab-client.js';
import { FIRST_LESSON, firstSolution, firstStarter } from '../../test/lesson-sources.js';
import { checkResult } from '../../test/run-result.js';

/** Lesson 1 end to end in real VMs, through the socket API the browser uses. */
describe('lesson 1: a jail that leaks', () => {
  it('the starter is escaped by the cwd probe, with this run\'s secret as evidence', async () => {
    const client = await JailLabClient.connect(inject('serverUrl'));
    const r = await client.run(FIRST_LESSON, firstStarter());
    client.close();
    const probe = checkResult(r, 'cwd-outside');
    expect(probe.verdict).toBe('escaped');
    const secret = /SECRET-[0-9a-f]{24}/.exec(probe.evidence ?? '')?.[0];
    expect(secret).toBeDefined();
    expect(probe.output).toContain(secret);
    expect(probe.reason).toContain('relative path');
    expect(checkResult(r, 'read-data').verdict).toBe('passed');
    expect(r.finished.outcome).toBe('failed');
    expect(r.finished.accelerator).toMatch(/^(kvm|tcg)$/);
    expect(r.events.some((e) => e.type === 'vm-ready')).toBe(true);
  });

  it('the solution contains the probe and the service still works', async () => {
    const client = await JailLabClient.connect(inject('serverUrl'));
    const r = await client.run(FIRST_LESSON, firstSolution());
    client.close();
    const probe = checkResult(r, 'cwd-outside');
    expect(probe.verdict).toBe('contained');
    expect(probe.reason).toMatch(/ENOENT/);
    expect(probe.output).not.toMatch(/SECRET-/);
    const service = checkResult(r, 'read-data');
    expect(service.verdict).toBe('passed');
    expect(service.evidence).toMatch(/ticket-[0-9a-f]{24}/);
    expect(r.finished.outcome).toBe('passed');
  });

  it('every check gets a fresh secret, so no run can replay an old one', async () => {
    const client = await JailLabClient.connect(inject('serverUrl'));
    const [a, b] = [await client.run(FIRST_LESSON, firstStarter()), await client.run(FIRST_LESSON, firstStarter())];
    client.close();
    const secretOf = (e: string | null): string | undefined => /SECRET-[0-9a-f]{24}/.exec(e ?? '')?.[0];
    expect(secretOf(checkResult(a, 'cwd-outside').evidence)).not.toBe(secretOf(checkResult(b, 'cwd-outside').evidence));
  });

  it('a program that exits without starting the probe passes no check', async () => {
    const client = await JailLabClient.connect(inject('serverUrl'));
    const r = await client.run(FIRST_LESSON, 'int main(void) { return 0; }\n');
    client.close();
    expect(checkResult(r, 'cwd-outside')).toMatchObject({ verdict: 'error', reason: expect.stringContaining('without starting the probe') });
    expect(checkResult(r, 'read-data').verdict).toBe('failed');
    expect(r.finished.outcome).toBe('failed');
  });

  it('a compile error ends the run with markers on the right line and no VM time', async () => {
    const client = await JailLabClient.connect(inject('serverUrl'));
    const r = await client.run(FIRST_LESSON, 'int main(void) {\n  return nope;\n}\n');
    client.close();
    const compiled = r.events.find((e) => e.type === 'compile-finished');
    expect(compiled).toMatchObject({ ok: false });
    expect(compiled?.type === 'compile-finished' && compiled.diagnostics).toContainEqual(expect.objectContaining({ severity: 'error', line: 2 }));
    expect(r.finished.outcome).toBe('compile-error');
    expect(r.events.some((e) => e.type === 'check-started')).toBe(false);
  });
});
