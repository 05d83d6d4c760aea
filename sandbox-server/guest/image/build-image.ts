import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { type CpioEntry, writeCpio } from './cpio.js';
import { exec } from './exec.js';
import { downloadDeb, extractVmlinux, resolveKernelPackage } from './kernel.js';
import { resolveModules, WANTED_MODULES } from './modules.js';
import { pruneOldEntries } from '../../src/cache/prune.js';

/**
 * The guest image: Debian's kernel (uncompressed, PVH entry) and an initramfs
 * holding busybox, the virtio/loop/ext4 modules, the init script and the guest
 * agent. Built from Debian packages and this repository only, cached under the
 * data directory by a hash of every input, and rebuilt when an input changes or
 * a file no longer matches its recorded checksum.
 */

const here = dirname(fileURLToPath(import.meta.url));
const AGENT_DIR = join(here, '..', 'agent');
const INIT_SCRIPT = join(here, 'init.sh');
const BUSYBOX = '/bin/busybox';
/** Size of the guest world's disk. Sparse in guest RAM: only written blocks cost memory. */
export const GUEST_DISK_MB = 48;
/** Bump when the recipe changes in a way the hashed inputs do not show. */
const RECIPE_VERSION = 4;

/**
 * The shared C library of the host's libc6 package (the glibc that gcc links a dynamic program against), at
 * the paths a Debian machine has them: in the guest's world, outside the jail, for a jail program to copy in.
 * The lesson on what a jail must contain runs a dynamically linked service that needs exactly these two.
 */
export const GUEST_SHARED_LIBS = ['/lib64/ld-linux-x86-64.so.2', '/lib/x86_64-linux-gnu/libc.so.6'] as const;

/** The world's accounts: root, and the jailed service's user (uid/gid 1000 in every lesson). */
const PASSWD = 'root:x:0:0:root:/root:/bin/sh\nservice:x:1000:1000:the jailed service:/nonexistent:/bin/false\n';
const GROUP = 'root:x:0:\nservice:x:1000:\n';

export interface GuestImage {
  dir: string;
  kernel: string;
  initramfs: string;
  /** Hash of all inputs: VM snapshots are only valid for the image they were made from. */
  id: string;
  kernelPackage: string;
}

interface Manifest {
  id: string;
  kernelPackage: string;
  files: Record<string, string>;
}

export type Log = (line: string) => void;

async function sha256File(path: string): Promise<string> {
  return createHash('sha256').update(await readFile(path)).digest('hex');
}

async function agentSources(): Promise<Array<[string, Buffer]>> {
  const names = (await readdir(AGENT_DIR)).filter((f) => f.endsWith('.c') || f.endsWith('.h')).sort();
  return await Promise.all(names.map(async (n): Promise<[string, Buffer]> => [n, await readFile(join(AGENT_DIR, n))]));
}

async function inputsHash(kernelPackage: string): Promise<string> {
  const h = createHash('sha256');
  h.update(`recipe ${RECIPE_VERSION} disk ${GUEST_DISK_MB} modules ${WANTED_MODULES.join(',')} kernel ${kernelPackage}\n`);
  if (!existsSync(BUSYBOX)) throw new Error(`${BUSYBOX} is missing: install busybox-static`);
  h.update(await readFile(BUSYBOX));
  h.update(await readFile(INIT_SCRIPT));
  for (const f of ['build-image.ts', 'cpio.ts', 'kernel.ts', 'modules.ts']) h.update(await readFile(join(here, f)));
  // By content: an upgraded libc6 on the host is a new image (the dynamic service is linked against it).
  for (const lib of GUEST_SHARED_LIBS) h.update(lib).update(await readSharedLib(lib));
  for (const [name, data] of await agentSources()) h.update(name).update(data);
  return h.digest('hex').slice(0, 16);
}

/** Checks an existing image against its manifest; returns what is wrong, or null. */
async function verify(dir: string): Promise<string | null> {
  const manifestPath = join(dir, 'manifest.json');
  if (!existsSync(manifestPath)) return 'missing';
  try {
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as Manifest;
    for (const [file, sum] of Object.entries(manifest.files)) {
      if (!existsSync(join(dir, file))) return `${file} is missing`;
      if ((await sha256File(join(dir, file))) !== sum) return `${file} does not match its checksum`;
    }
    return null;
  } catch (e) {
    return `unreadable manifest (${(e as Error).message})`;
  }
}

async function readSharedLib(path: string): Promise<Buffer> {
  if (!existsSync(path)) throw new Error(`${path} is missing: install libc6 (the dynamically linked service needs it)`);
  return await readFile(path); // follows the symlink to the library itself
}

async function buildAgent(out: string): Promise<void> {
  const sources = (await agentSources()).map(([n]) => join(AGENT_DIR, n)).filter((p) => p.endsWith('.c'));
  await exec('gcc', ['-static', '-O2', '-Wall', '-Wextra', '-Werror', '-o', out, ...sources]);
}

async function assertStatic(path: string): Promise<void> {
  const header = (await exec('readelf', ['-l', path])).stdout.toString();
  if (/Requesting program interpreter/.test(header)) throw new Error(`${path} is not statically linked: install busybox-static`);
}

async function build(cacheDir: string, kernelPackageName: string, id: string, target: string, log: Log): Promise<void> {
  const started = Date.now();
  const [name, version] = kernelPackageName.split(' ');
  const pkg = { name: name!, version: version! };
  const work = await mkdtemp(join(cacheDir, 'guest', 'build-'));
  try {
    log(`guest image: downloading ${pkg.name} ${pkg.version} from Debian (once)…`);
    const deb = await downloadDeb(pkg, join(cacheDir, 'guest', 'debs'));
    log('guest image: unpacking the kernel package…');
    const unpacked = join(work, 'deb');
    await exec('dpkg-deb', ['-x', deb, unpacked]);
    const vmlinuz = (await readdir(join(unpacked, 'boot'))).find((f) => f.startsWith('vmlinuz-'));
    if (!vmlinuz) throw new Error(`${deb} holds no /boot/vmlinuz-*`);
    const kernelVersion = vmlinuz.slice('vmlinuz-'.length);
    log('guest image: extracting the uncompressed kernel…');
    const out = join(work, 'out');
    await mkdir(out);
    await extractVmlinux(join(unpacked, 'boot', vmlinuz), join(out, 'vmlinux'));

    log('guest image: building the guest agent and the initramfs…');
    const modules = await resolveModules(join(unpacked, 'lib', 'modules', kernelVersion, 'kernel'));
    const agentPath = join(work, 'jaillab-agent');
    await buildAgent(agentPath);
    await assertStatic(BUSYBOX);
    const busybox = await readFile(BUSYBOX);
    const init = (await readFile(INIT_SCRIPT, 'utf8')).replaceAll('@DISK_MB@', String(GUEST_DISK_MB));
    const entries: CpioEntry[] = [
      ...['bin', 'dev', 'proc', 'sys', 'lib', 'lib/modules', 'rootfs'].map((p) => ({ kind: 'dir' as const, path: p, mode: 0o755 })),
      { kind: 'file', path: 'init', mode: 0o755, data: Buffer.from(init) },
      { kind: 'file', path: 'bin/busybox', mode: 0o755, data: busybox },
      { kind: 'file', path: 'lib/modules/load-order', mode: 0o644, data: Buffer.from(modules.map(([n]) => n).join('\n') + '\n') },
      ...(await Promise.all(modules.map(async ([n, p]) => ({ kind: 'file' as const, path: `lib/modules/${n}.ko`, mode: 0o644, data: await readFile(p) })))),
      // The world the agent switches to. Busybox is there for the interactive shell and for lessons, outside the jail.
      ...['bin', 'sbin', 'dev', 'proc', 'sys', 'tmp', 'run', 'root', 'jail', 'outside', 'usr', 'usr/local', 'usr/local/sbin', 'etc', 'lib', 'lib/x86_64-linux-gnu', 'lib64'].map((p) => ({
        kind: 'dir' as const,
        path: `rootfs/${p}`,
        mode: p === 'tmp' ? 0o1777 : p === 'root' ? 0o700 : 0o755,
      })),
      { kind: 'file', path: 'rootfs/bin/busybox', mode: 0o755, data: busybox },
      { kind: 'symlink', path: 'rootfs/bin/sh', target: 'busybox' },
      { kind: 'file', path: 'rootfs/sbin/jaillab-agent', mode: 0o755, data: await readFile(agentPath) },
      { kind: 'file', path: 'rootfs/etc/passwd', mode: 0o644, data: Buffer.from(PASSWD) },
      { kind: 'file', path: 'rootfs/etc/group', mode: 0o644, data: Buffer.from(GROUP) },
      ...(await Promise.all(GUEST_SHARED_LIBS.map(async (lib) => ({ kind: 'file' as const, path: `rootfs${lib}`, mode: 0o755, data: await readSharedLib(lib) })))),
    ];
    await writeFile(join(out, 'initramfs.cpio.gz'), gzipSync(writeCpio(entries), { level: 6 }));
    const manifest: Manifest = {
      id,
      kernelPackage: kernelPackageName,
      files: {
        vmlinux: await sha256File(join(out, 'vmlinux')),
        'initramfs.cpio.gz': await sha256File(join(out, 'initramfs.cpio.gz')),
      },
    };
    await writeFile(join(out, 'manifest.json'), JSON.stringify(manifest, null, 2));
    await rm(target, { recursive: true, force: true });
    await rename(out, target);
    log(`guest image: ready in ${((Date.now() - started) / 1000).toFixed(1)} s (${target})`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Which kernel package the current image was built from: the server starts without asking apt. */
const CURRENT_KERNEL = 'kernel-package.txt';

/**
 * Returns the cached guest image for the current inputs, building (or
 * rebuilding) it if it is missing or damaged. `refreshKernel` asks apt which
 * kernel package is current (scripts/prepare.sh does, at every start); without
 * it the one recorded at the last build is used, so a server starts in
 * milliseconds instead of waiting on apt-cache.
 */
export async function ensureGuestImage(cacheDir: string, log: Log = console.log, opts: { refreshKernel?: boolean } = {}): Promise<GuestImage> {
  const recorded = join(cacheDir, 'guest', CURRENT_KERNEL);
  let kernelPackage = !opts.refreshKernel && existsSync(recorded) ? (await readFile(recorded, 'utf8')).trim() : '';
  if (!kernelPackage) {
    const pkg = await resolveKernelPackage();
    kernelPackage = `${pkg.name} ${pkg.version}`;
  }
  const id = await inputsHash(kernelPackage);
  const dir = join(cacheDir, 'guest', `image-${id}`);
  const problem = await verify(dir);
  if (problem) {
    log(problem === 'missing' ? `guest image: none built for these inputs yet (${dir}); building it` : `guest image: ${dir}: ${problem}; rebuilding it`);
    await mkdir(join(cacheDir, 'guest'), { recursive: true });
    await build(cacheDir, kernelPackage, id, dir, log);
    await pruneOldEntries(join(cacheDir, 'guest'), 'image-', 2);
  }
  await writeFile(recorded, kernelPackage + '\n');
  return { dir, kernel: join(dir, 'vmlinux'), initramfs: join(dir, 'initramfs.cpio.gz'), id, kernelPackage };
}
