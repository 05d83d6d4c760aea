import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileC } from './compile-c.js';

/** Real gcc in the real bubblewrap sandbox. */
describe('compiling in the sandbox', () => {
  it('produces a static binary', async () => {
    const r = await compileC({ source: '#include <stdio.h>\nint main(void) { puts("hi"); return 0; }\n', fileName: 'jail.c' });
    expect(r.ok).toBe(true);
    expect(r.binary!.subarray(0, 4)).toEqual(Buffer.from([0x7f, 0x45, 0x4c, 0x46]));
    expect(r.binary!.includes(Buffer.from('/lib64/ld-linux'))).toBe(false); // no dynamic loader: static
  });

  it('links a dynamic program against the shared glibc: it needs the loader and libc.so.6, nothing else', async () => {
    const source = '#include <pwd.h>\n#include <stdio.h>\nint main(void) { struct passwd *p = getpwuid(0); puts(p ? p->pw_name : "?"); return 0; }\n';
    const r = await compileC({ source, fileName: 'service.c', libc: 'glibc', linkage: 'dynamic' });
    expect(r.ok, r.text).toBe(true);
    expect(r.text).not.toMatch(/statically linked/); // getpwuid() from libc.a would warn so
    const dir = await mkdtemp(join(tmpdir(), 'jaillab-dyn-'));
    try {
      await writeFile(join(dir, 'a.out'), r.binary!);
      const dynamic = execFileSync('readelf', ['-d', '-l', join(dir, 'a.out')]).toString();
      expect(dynamic).toContain('Requesting program interpreter: /lib64/ld-linux-x86-64.so.2');
      expect([...dynamic.matchAll(/\(NEEDED\)\s+Shared library: \[([^\]]+)\]/g)].map((m) => m[1])).toEqual(['libc.so.6']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('sees no host files: including /etc/passwd or /proc/self/environ fails and reveals nothing', async () => {
    for (const path of ['/etc/passwd', '/proc/self/environ', '/etc/hostname', '/root/.bashrc']) {
      const r = await compileC({ source: `#include "${path}"\nint main(void) { return 0; }\n`, fileName: 'jail.c' });
      expect(r.ok, path).toBe(false);
      expect(r.diagnostics[0]).toMatchObject({ severity: 'error', line: 1, message: `${path}: No such file or directory` });
      expect(r.text).not.toMatch(/root:x:0:0|PATH=/);
    }
  });

  it('cannot reach the network', async () => {
    // gcc has no network feature to abuse, so prove the sandbox's namespace instead: the only interface is lo, and it is down.
    const r = await compileC({ source: '#include "/sys/class/net/eth0/address"\nint main(void){return 0;}\n', fileName: 'jail.c' });
    expect(r.ok).toBe(false);
  });

  it('reports errors and warnings on the lines they are on', async () => {
    const r = await compileC({ source: 'int main(void) {\n  int unused;\n  return missing;\n}\n', fileName: 'jail.c' });
    expect(r.ok).toBe(false);
    expect(r.diagnostics).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ severity: 'error', line: 3 }),
        expect.objectContaining({ severity: 'warning', line: 2, option: '-Wunused-variable' }),
      ]),
    );
    expect(r.text).toContain('jail.c:3:');
  });

  it('stops a compile that takes too long, with a reason', async () => {
    // Exponential macro expansion: gcc would take far longer than the limit.
    const src = ['#define A(x) x x x x x x x x', '#define B(x) A(A(x))', '#define C(x) B(B(x))', '#define D(x) C(C(x))', 'int main(void) { D(D(;)) return 0; }'].join('\n');
    const r = await compileC({ source: src, fileName: 'jail.c' }, { timeoutMs: 2000, memoryBytes: 1 << 30, outputBytes: 256 << 10, binaryBytes: 32 << 20 });
    expect(r.ok).toBe(false);
    expect(r.text).toMatch(/time limit|memory limit|more than/);
  });
});
