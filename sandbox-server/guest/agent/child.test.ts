import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * spawn_child (child.c), which starts the jail program, the accomplices and
 * the shell, run on the host: a child whose set-up fails never runs the
 * program, exits 126 and says which call failed on its error descriptor.
 */
const AGENT = dirname(fileURLToPath(import.meta.url));
const HARNESS = `#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "child.h"
/* argv: cgroup-or-"-", cwd, program, args... ; prints "exit N" and what the child wrote on its error fd. */
int main(int argc, char **argv) {
  int err[2];
  if (argc < 4 || pipe(err) != 0) return 2;
  int hi = fcntl(err[1], F_DUPFD_CLOEXEC, 10);
  struct child_spec s = {.path = argv[3], .argv = &argv[3], .env = child_env, .cgroup = strcmp(argv[1], "-") ? argv[1] : NULL,
                         .cwd = argv[2], .stdin_fd = -1, .stdout_fd = -1, .stderr_fd = hi, .ctty_fd = -1, .fd3 = -1, .fd4 = -1, .error_fd = 2};
  pid_t pid = spawn_child(&s);
  close(hi);
  close(err[1]);
  char buf[512] = {0};
  ssize_t n = read(err[0], buf, sizeof buf - 1);
  (void)n;
  int st;
  waitpid(pid, &st, 0);
  printf("exit %d\\n%s", WIFEXITED(st) ? WEXITSTATUS(st) : -1, buf);
  return 0;
}
`;

let dir: string;
let harness: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'jaillab-child-test-'));
  writeFileSync(join(dir, 'harness.c'), HARNESS.replace('#include <unistd.h>', '#include <unistd.h>\n#include <fcntl.h>'));
  const sources = readdirSync(AGENT).filter((f) => f.endsWith('.c') && f !== 'agent.c').map((f) => join(AGENT, f));
  harness = join(dir, 'harness');
  execFileSync('gcc', ['-O1', '-Wall', '-I', AGENT, '-o', harness, join(dir, 'harness.c'), ...sources]);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const spawn = (...args: string[]): string => spawnSync(harness, args, { encoding: 'utf8' }).stdout;

describe('spawn_child', () => {
  it('runs the program when every step of its set-up works', () => {
    expect(spawn('-', '/', '/bin/sh', '-c', 'echo ran >&2')).toBe('exit 0\nran\n');
  });

  it('does not run the program without its cgroup: exit 126 and the failed call', () => {
    const out = spawn('jaillab-no-such-cgroup', '/', '/bin/sh', '-c', 'echo ran >&2');
    expect(out).toMatch(/^exit 126\njaillab: could not apply limits \(cgroup jaillab-no-such-cgroup\): No such file or directory\n$/);
  });

  it('does not run the program in the wrong directory', () => {
    expect(spawn('-', '/no/such/dir', '/bin/sh', '-c', 'echo ran >&2')).toMatch(/^exit 126\njaillab: chdir \/no\/such\/dir: No such file or directory\n$/);
  });

  it('says so when the program cannot be executed (127)', () => {
    expect(spawn('-', '/', '/no/such/program')).toMatch(/^exit 127\njaillab: cannot start \/no\/such\/program: No such file or directory\n$/);
  });
});
