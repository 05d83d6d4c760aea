import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Diagnostic, MAX_SOURCE_BYTES } from '@jaillab/protocol';
import { Semaphore } from '../semaphore.js';
import { parseGccStderr, renderDiagnostics } from './diagnostics.js';
import { getToolchain } from './toolchain.js';

/**
 * Compiles C with `gcc -static` inside bubblewrap: no network, no host files
 * but the toolchain (see toolchain.ts), an unprivileged uid in a fresh user
 * namespace, and limits on time, memory, file size and output. The learner's
 * source never runs here; only gcc does.
 */

export interface CompileRequest {
  source: string;
  /** The file name gcc reports, e.g. jail.c. */
  fileName: string;
  /** Other files placed beside the source, e.g. a probe's header. */
  extraFiles?: Record<string, string>;
  /**
   * The C library to link statically. glibc (the default) for the learner's program, as they write programs
   * elsewhere; musl for probes and accomplices: ~40 KB instead of ~800 KB, so putting one in every check's
   * jail and starting it costs the VM next to nothing.
   */
  libc?: 'glibc' | 'musl';
  /**
   * static (the default) or dynamic: a dynamically linked glibc program needs the loader and libc.so.6 at run
   * time, as most programs on a real machine do; the lesson on what a jail must contain uses one for its service.
   */
  linkage?: 'static' | 'dynamic';
}

export interface CompileResult {
  ok: boolean;
  binary: Buffer | null;
  diagnostics: Diagnostic[];
  /** Human-readable diagnostics for the terminal. */
  text: string;
  durationMs: number;
  cached: boolean;
  /** CPU time of gcc's passes (its -time report): the front end (cc1), the assembler, the link. */
  passes?: { frontEndCpuMs: number; assembleCpuMs: number; linkCpuMs: number };
}

export interface CompileLimits {
  timeoutMs: number;
  memoryBytes: number;
  outputBytes: number;
  binaryBytes: number;
}

export const DEFAULT_COMPILE_LIMITS: CompileLimits = {
  timeoutMs: 20_000,
  memoryBytes: 1 << 30,
  outputBytes: 256 << 10,
  binaryBytes: 32 << 20,
};

// -time: gcc reports each pass's CPU time on stderr (`# cc1 0.03 0.01`), for the benchmark's breakdown.
// -fuse-ld=gold: binutils' gold links a static glibc program in a third of ld.bfd's time (~50 ms against
// ~150 ms here) and words an undefined reference the same way; -s: no symbol table, nothing reads it.
const FLAGS = ['-std=gnu17', '-O2', '-Wall', '-static', '-pipe', '-fdiagnostics-format=json', '-time', '-fuse-ld=gold', '-s'];

/** Takes gcc's `-time` lines out of stderr (they are not for the learner) and sums them per pass, in CPU ms. */
export function takePassTimes(stderr: string): { rest: string; passes: NonNullable<CompileResult['passes']> } {
  const passes = { frontEndCpuMs: 0, assembleCpuMs: 0, linkCpuMs: 0 };
  const rest: string[] = [];
  for (const line of stderr.split('\n')) {
    const m = /^# (\S+) ([\d.]+) ([\d.]+)$/.exec(line.trim());
    if (!m) {
      rest.push(line);
      continue;
    }
    const cpuMs = (Number(m[2]) + Number(m[3])) * 1000;
    if (m[1] === 'cc1') passes.frontEndCpuMs += cpuMs;
    else if (m[1] === 'as') passes.assembleCpuMs += cpuMs;
    else passes.linkCpuMs += cpuMs; // collect2, which runs ld
  }
  return { rest: rest.join('\n'), passes };
}
/** Debian's musl-dev: gcc with these specs compiles and links against musl instead of glibc. */
export const MUSL_SPECS = '/usr/lib/x86_64-linux-musl/musl-gcc.specs';
const slots = new Semaphore(Math.max(1, availableParallelism()));

function gccFlags(req: CompileRequest): string[] {
  if (req.linkage === 'dynamic' && req.libc === 'musl') throw new Error('a dynamically linked program is linked against glibc');
  const flags = req.linkage === 'dynamic' ? FLAGS.filter((f) => f !== '-static') : FLAGS;
  return [...flags, ...(req.libc === 'musl' ? ['-specs', MUSL_SPECS] : [])];
}

export async function compileKey(req: CompileRequest): Promise<string> {
  const h = createHash('sha256').update((await getToolchain()).version).update('\0').update(FLAGS.join(' ')).update('\0');
  h.update(req.libc ?? 'glibc').update('\0').update(req.linkage ?? 'static').update('\0').update(req.fileName).update('\0').update(req.source).update('\0');
  for (const [name, text] of Object.entries(req.extraFiles ?? {}).sort()) h.update(name).update('\0').update(text).update('\0');
  return h.digest('hex');
}

interface GccRun {
  code: number | null;
  stderr: string;
  killedFor: 'time' | 'output' | null;
}

function runSandboxed(args: string[], limits: CompileLimits): Promise<GccRun> {
  return new Promise((resolve) => {
    // prlimit applies rlimits that bwrap and gcc inherit; detached puts the whole tree in one process group to kill.
    const child = spawn(
      'prlimit',
      [`--as=${limits.memoryBytes}`, `--fsize=${limits.binaryBytes}`, '--nofile=256', `--cpu=${Math.ceil(limits.timeoutMs / 1000)}`, '--core=0', '--', 'bwrap', ...args],
      { stdio: ['ignore', 'pipe', 'pipe'], detached: true },
    );
    let stderr = '';
    let bytes = 0;
    let killedFor: GccRun['killedFor'] = null;
    const kill = (why: 'time' | 'output'): void => {
      killedFor ??= why;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => kill('time'), limits.timeoutMs);
    const collect = (d: Buffer): void => {
      bytes += d.byteLength;
      if (bytes > limits.outputBytes) kill('output');
      else stderr += d.toString('utf8');
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, killedFor });
    });
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ code: -1, stderr: `could not start the compiler sandbox: ${e.message}`, killedFor: null });
    });
  });
}

async function compileUncached(req: CompileRequest, limits: CompileLimits): Promise<CompileResult> {
  const started = Date.now();
  const toolchain = await getToolchain();
  const work = await mkdtemp(join(tmpdir(), 'jaillab-compile-'));
  try {
    await writeFile(join(work, req.fileName), req.source);
    for (const [name, text] of Object.entries(req.extraFiles ?? {})) await writeFile(join(work, name), text);
    const args = [
      '--unshare-all', // no network, no IPC, own PID namespace
      '--unshare-user', '--uid', '65534', '--gid', '65534',
      '--cap-drop', 'ALL',
      '--die-with-parent', '--new-session',
      '--clearenv', '--setenv', 'PATH', '/usr/bin', '--setenv', 'LC_ALL', 'C.UTF-8', '--setenv', 'TMPDIR', '/tmp',
      ...toolchain.bwrapArgs,
      '--dev', '/dev',
      '--size', String(64 << 20), '--tmpfs', '/tmp',
      '--bind', work, '/work', '--chdir', '/work',
      'gcc', ...gccFlags(req), '-o', '/work/a.out', req.fileName,
    ];
    const run = await runSandboxed(args, limits);
    const { rest: stderr, passes } = takePassTimes(run.stderr);
    const parsed = parseGccStderr(stderr, req.source, req.fileName);
    let binary: Buffer | null = null;
    if (run.code === 0 && !run.killedFor) binary = await readFile(join(work, 'a.out')).catch(() => null);
    if (run.killedFor === 'time') parsed.plain.push(`the compiler was stopped after ${limits.timeoutMs / 1000} s (time limit)`);
    if (run.killedFor === 'output') parsed.plain.push(`the compiler was stopped: it printed more than ${limits.outputBytes >> 10} KiB of messages`);
    if (run.code !== 0 && !run.killedFor && /virtual memory exhausted|out of memory|Cannot allocate memory/i.test(stderr))
      parsed.plain.push(`the compiler ran out of its ${limits.memoryBytes >> 20} MiB memory limit`);
    if (run.code !== 0 && !run.killedFor && /internal compiler error/.test(stderr))
      parsed.plain.push('the compiler itself crashed on this source (something nested too deeply?): simplify the code around the last line you changed');
    if (run.code !== 0 && parsed.diagnostics.length === 0 && parsed.plain.length === 0) parsed.plain.push(`the compiler failed (exit status ${run.code})`);
    const ok = binary !== null;
    const diagnostics = ok || parsed.diagnostics.some((d) => d.severity === 'error') ? parsed.diagnostics : [
      ...parsed.diagnostics,
      { severity: 'error' as const, message: parsed.plain.at(-1) ?? 'compilation failed', line: 1, column: 1, endLine: 1, endColumn: 1 },
    ];
    return { ok, binary, diagnostics, text: renderDiagnostics(parsed.diagnostics, parsed.plain, req.source, req.fileName), durationMs: Date.now() - started, cached: false, passes };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Refuses before gcc starts: the socket enforces the same size, but the CLI and probes come in other ways. */
function tooLarge(req: CompileRequest): CompileResult | null {
  const bytes = Buffer.byteLength(req.source);
  if (bytes <= MAX_SOURCE_BYTES) return null;
  const message = `the source is larger than ${MAX_SOURCE_BYTES >> 10} KiB (${Math.ceil(bytes / 1024)} KiB): jail programs are small`;
  return {
    ok: false,
    binary: null,
    diagnostics: [{ severity: 'error', message, line: 1, column: 1, endLine: 1, endColumn: 1 }],
    text: `${req.fileName}: ${message}`,
    durationMs: 0,
    cached: false,
  };
}

export function compileC(req: CompileRequest, limits: CompileLimits = DEFAULT_COMPILE_LIMITS): Promise<CompileResult> {
  const refused = tooLarge(req);
  if (refused) return Promise.resolve(refused);
  return slots.run(() => compileUncached(req, limits));
}
