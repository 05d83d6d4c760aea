import { lstatSync, readlinkSync, realpathSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { exec } from '../../guest/image/exec.js';

/**
 * Building blocks of a bubblewrap root that holds only named host files, for
 * the two sandboxes that run host binaries: the compiler's and each VM's QEMU.
 */

/** Debian has merged /usr: /lib, /lib64 and /bin are symlinks into /usr, recreated in every root. */
export const MERGED_USR_LINKS: readonly string[] = ['--symlink', 'usr/lib', '/lib', '--symlink', 'usr/lib64', '/lib64', '--symlink', 'usr/bin', '/bin'];

/** The shared libraries the binaries load, as ldd names them. */
export async function sharedLibraries(binaries: string[]): Promise<string[]> {
  const libs = new Set<string>();
  for (const bin of binaries) {
    const out = (await exec('ldd', [bin], { allowFailure: true })).stdout.toString();
    for (const m of out.matchAll(/(\/\S+\.so[^\s]*)/g)) if (m[1]) libs.add(m[1]);
  }
  return [...libs];
}

/** bwrap arguments for one path: the symlink itself (if it is one) and what it points to, bound read-only at its real path. */
export function bindReadOnly(path: string, seen: Set<string>, args: string[]): void {
  const p = path.replace(/^\/(lib|lib64|bin)\//, '/usr/$1/');
  if (seen.has(p)) return;
  seen.add(p);
  const st = lstatSync(p);
  if (st.isSymbolicLink()) {
    const target = readlinkSync(p);
    args.push('--symlink', target, p);
    bindReadOnly(resolve(dirname(p), target), seen, args);
    return;
  }
  args.push('--ro-bind', realpathSync(p), p);
}
