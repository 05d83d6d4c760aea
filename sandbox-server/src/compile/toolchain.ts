import { createHash } from 'node:crypto';
import { existsSync, realpathSync } from 'node:fs';
import { dirname } from 'node:path';
import { exec } from '../../guest/image/exec.js';
import { bindReadOnly, MERGED_USR_LINKS, sharedLibraries } from '../bwrap/host-binds.js';

/**
 * Exactly what the compiler sandbox may see: gcc's driver and its internal
 * directory, the assembler and linker, the C headers, libc's static libraries,
 * and the shared libraries those tools load. Nothing else of the host: no /etc,
 * no /home, no /proc, no network.
 */
export interface Toolchain {
  /** bwrap arguments that recreate the toolchain read-only inside the sandbox. */
  bwrapArgs: string[];
  /** Identifies the compiler for cache keys: a different gcc means a different binary. */
  version: string;
}

const MUSL_LIB_DIR = '/usr/lib/x86_64-linux-musl';

let cached: Promise<Toolchain> | null = null;

export function getToolchain(): Promise<Toolchain> {
  cached ??= resolveToolchain();
  return cached;
}

async function which(name: string): Promise<string> {
  for (const dir of ['/usr/bin', '/bin', '/usr/local/bin']) if (existsSync(`${dir}/${name}`)) return `${dir}/${name}`;
  throw new Error(`${name} not found: install gcc`);
}

/** What libc6-dev gives the link: the static libraries and start files, and the linker script of a dynamic link. */
async function libcDevFiles(): Promise<string[]> {
  const listed = (await exec('dpkg', ['-L', 'libc6-dev'], { allowFailure: true })).stdout.toString().split('\n');
  // libc.so is the linker script a dynamic link reads (libc.so.6 and the loader are bound as gcc's own libraries).
  return listed.filter((p) => (/^\/usr\/lib\/x86_64-linux-gnu\/[^/]+\.(a|o)$/.test(p) || p === '/usr/lib/x86_64-linux-gnu/libc.so') && existsSync(p));
}

async function resolveToolchain(): Promise<Toolchain> {
  const gcc = await which('gcc');
  const as = await which('as');
  const ld = await which('ld');
  const gold = await which('ld.gold');
  const gccDir = dirname((await exec(gcc, ['-print-libgcc-file-name'])).stdout.toString().trim());
  const internal = ['cc1', 'collect2', 'lto-wrapper'].map((p) => `${gccDir}/${p}`).filter((p) => existsSync(p));
  const tools = [gcc, as, ld, gold].map((p) => realpathSync(p));
  const args: string[] = [...MERGED_USR_LINKS];
  const seen = new Set<string>();
  for (const p of [gcc, as, ld, gold, ...(await sharedLibraries([...tools, ...internal])), ...(await libcDevFiles())]) bindReadOnly(p, seen, args);
  args.push('--ro-bind', gccDir, gccDir, '--ro-bind', '/usr/include', '/usr/include');
  // musl (probes and accomplices): its static libc and start files; its headers are under /usr/include.
  if (existsSync(MUSL_LIB_DIR)) args.push('--ro-bind', MUSL_LIB_DIR, MUSL_LIB_DIR);
  const version = (await exec(gcc, ['--version'])).stdout.toString().split('\n')[0] ?? 'gcc';
  return { bwrapArgs: args, version: createHash('sha256').update(version + args.join(' ')).digest('hex').slice(0, 12) + ` ${version}` };
}
