import { readFileSync } from 'node:fs';
import { describe, expect, inject, it } from 'vitest';
import { firstStarter } from '../../test/lesson-sources.js';
import { checkResult } from '../../test/run-result.js';
import { everythingSent, runProgram } from '../../test/run-program.js';

/**
 * The learner's program is root in its VM by design, so the VM is the security
 * boundary. From inside, as root, nothing of the host may be reachable: no host
 * file (the test server planted a host canary in its data directory and in
 * /tmp), no network, no shared folder. qemu-args.test.ts checks the same from
 * the command line's side.
 */
const lookForTheHost = readFileSync(new URL('../../test/programs/look-for-the-host.c', import.meta.url), 'utf8');

describe('the VM boundary', () => {
  it('a root program that searches every file, the raw disk, the network and the devices finds nothing of the host', async () => {
    const r = await runProgram(lookForTheHost);
    const out = checkResult(r, 'cwd-outside').output;
    expect(everythingSent(r)).not.toContain(inject('hostCanary'));
    const searched = /searched (\d+) files, (\d+) KiB, hits (\d+)/.exec(out);
    expect(searched, out).not.toBeNull();
    expect(Number(searched![1])).toBeGreaterThan(3); // it really looked: at least busybox, the agent, itself
    expect(Number(searched![2])).toBeGreaterThan(40 * 1024); // including the whole 48 MB world disk
    expect(searched![3]).toBe('0');
    expect(out).not.toContain('FOUND');
    expect(out).toMatch(/^network interfaces: lo\s*$/m);
    expect(out).toMatch(/connect 10\.0\.2\.2:22: Network is unreachable/);
    expect(out).toMatch(/connect 1\.1\.1\.1:53: Network is unreachable/);
    expect(out).not.toContain('CONNECTED');
    expect(out).toMatch(/^block devices:( loop\d+)+\s*$/m); // no disk from the host, only the world's loop devices
    expect(out).toMatch(/^virtio devices: 0x0003\s*$/m); // the agent's serial port only: no 9p, no virtiofs, no net, no block
    expect(out).not.toMatch(/filesystems:.*\b(9p|virtiofs|nfs|cifs|fuse)\b/);
  });

  it('an escape probe that breaks the jail gets the guest canary, never the host one', async () => {
    const r = await runProgram(firstStarter());
    expect(checkResult(r, 'cwd-outside').verdict).toBe('escaped');
    expect(everythingSent(r)).not.toContain(inject('hostCanary'));
  });
});
