import { describe, expect, it } from 'vitest';
import { Diagnostic, MAX_SOURCE_BYTES } from '@jaillab/protocol';
import { compileC, DEFAULT_COMPILE_LIMITS } from './compile-c.js';

/**
 * Sources a mischievous learner sends to the compiler (real gcc in the real
 * bubblewrap sandbox). The learner's code never runs here, but gcc does: it
 * must not read host files for them, and it must stop with a reason whatever
 * it is fed. compile-c.test.ts covers #include of /etc/passwd and
 * /proc/self/environ, and a macro bomb under a short time limit.
 */
const main = 'int main(void) { return 0; }\n';

describe('hostile sources', () => {
  it('reaches no host file by any of gcc\'s doors: #include <>, relative paths, .incbin, #pragma dependency', async () => {
    const doors = [
      '#include </proc/self/environ>',
      '#include "../../../../../etc/shadow"',
      '#include "/proc/1/cmdline"',
      'asm(".incbin \\"/etc/passwd\\"");',
      '#pragma GCC dependency "/etc/passwd"',
    ];
    for (const door of doors) {
      const r = await compileC({ source: `${door}\n${main}`, fileName: 'jail.c' });
      expect(r.ok, door).toBe(false);
      expect(r.text, door).toMatch(/No such file or directory|file not found/i);
      expect(r.text, door).not.toMatch(/root:[x*!]?:0:0|PATH=|HOME=|JAILLAB/);
    }
  });

  it('refuses a 10 MB source without starting gcc, with the size limit in the message', async () => {
    const r = await compileC({ source: `/* ${'x'.repeat(10 << 20)} */\n${main}`, fileName: 'jail.c' });
    expect(r.ok).toBe(false);
    expect(r.text).toContain(`larger than ${MAX_SOURCE_BYTES >> 10} KiB`);
    expect(r.diagnostics[0]).toMatchObject({ severity: 'error', line: 1 });
    // Refused before gcc: no compiler time was spent (a wall-clock bound here would fail on a busy machine).
    expect(r.durationMs).toBe(0);
  });

  it('stops gcc at its memory limit when a source makes it swallow memory, and says so', async () => {
    // Each level multiplies the tokens by 16: the preprocessor builds a line far beyond any memory limit.
    const src = ['#define A(x) x x x x x x x x x x x x x x x x', '#define B(x) A(A(A(x)))', 'static const char *s[] = { B(B(B("a",))) };', main].join('\n');
    const r = await compileC({ source: src, fileName: 'jail.c' }, { ...DEFAULT_COMPILE_LIMITS, memoryBytes: 256 << 20, timeoutMs: 60_000 });
    expect(r.ok).toBe(false);
    expect(r.text).toMatch(/memory limit|time limit|more than/);
  });

  it('survives a source nested sixty thousand levels deep', async () => {
    const depth = 60_000; // 120 KB: within the source limit
    const src = `int main(void) { return ${'('.repeat(depth)}0${')'.repeat(depth)}; }\n`;
    const r = await compileC({ source: src, fileName: 'jail.c' });
    // gcc's parser recurses once per level and runs out of stack: the learner is told what happened, in words.
    expect(r.ok).toBe(false);
    expect(r.text).toMatch(/the compiler itself crashed on this source/);
    expect(r.text).not.toMatch(/time limit/);
  });

  it('takes bytes that are not UTF-8 (replacement characters, lone surrogates, NUL, controls) and answers with diagnostics', async () => {
    const src = `\uFEFF${main}/* caf\u00e9 \uFFFD \uD800 \uDFFF */\nint x = 1;\u0000\u0007\u001b[31m\nint y = \u00ff;\n`;
    const r = await compileC({ source: src, fileName: 'jail.c' });
    expect(r.ok).toBe(false);
    expect(r.diagnostics.length).toBeGreaterThan(0);
    const lines = src.split('\n').length;
    for (const d of r.diagnostics) expect(d.line).toBeGreaterThanOrEqual(1), expect(d.line).toBeLessThanOrEqual(lines);
    // What goes on the wire must survive it: through JSON and back through the protocol's own schema, unchanged.
    const wire = JSON.parse(JSON.stringify(r.diagnostics)) as unknown[];
    expect(wire.map((d) => Diagnostic.parse(d))).toEqual(r.diagnostics);
  });
});
