import { describe, expect, it } from 'vitest';
import { parseGccStderr, renderDiagnostics } from './diagnostics.js';

const source = 'int main(void) {\n  int x;\n  return y;\n}\n';

describe('gcc diagnostics', () => {
  it('become markers on the right line and column, with children and warning flags', () => {
    const json = JSON.stringify([
      { kind: 'error', message: "'y' undeclared", locations: [{ caret: { file: 'jail.c', line: 3, column: 10 }, finish: { file: 'jail.c', line: 3, column: 10 } }], children: [{ kind: 'note', message: 'each undeclared identifier…', locations: [{ caret: { file: 'jail.c', line: 3, column: 10 } }] }] },
      { kind: 'warning', message: "unused variable 'x'", option: '-Wunused-variable', locations: [{ caret: { file: 'jail.c', line: 2, column: 7 } }] },
    ]);
    const { diagnostics } = parseGccStderr(json, source, 'jail.c');
    expect(diagnostics).toEqual([
      { severity: 'error', message: "'y' undeclared", line: 3, column: 10, endLine: 3, endColumn: 11 },
      { severity: 'note', message: 'each undeclared identifier…', line: 3, column: 10, endLine: 3, endColumn: 11 },
      { severity: 'warning', message: "unused variable 'x'", line: 2, column: 7, endLine: 2, endColumn: 8, option: '-Wunused-variable' },
    ]);
  });

  it('put a linker error on the line that calls the missing function', () => {
    const src = 'int main(void) {\n  jail_me();\n  return 0;\n}\n';
    const stderr = "/usr/bin/ld: /tmp/cc1.o: in function `main':\njail.c:(.text+0xa): undefined reference to `jail_me'\ncollect2: error: ld returned 1 exit status\n";
    const { diagnostics, plain } = parseGccStderr(stderr, src, 'jail.c');
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ severity: 'error', line: 2, column: 3 });
    expect(diagnostics[0]!.message).toContain("'jail_me'");
    expect(renderDiagnostics(diagnostics, plain, src, 'jail.c')).toContain('jail.c:2:3: error:');
  });

  it('pin a diagnostic from a header to line 1 rather than lose it', () => {
    const json = JSON.stringify([{ kind: 'error', message: 'bad header', locations: [{ caret: { file: '/usr/include/x.h', line: 40, column: 1 } }] }]);
    expect(parseGccStderr(json, source, 'jail.c').diagnostics[0]).toMatchObject({ line: 1, message: 'bad header' });
  });
});
