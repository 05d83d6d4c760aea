import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { exec } from './exec.js';

/**
 * The guest kernel comes from Debian's linux-image package, never from
 * elsewhere. We boot its uncompressed vmlinux through the PVH entry point: under
 * TCG that reaches /init seconds sooner than the compressed bzImage.
 */

export interface KernelPackage {
  name: string;
  version: string;
}

/**
 * The package behind linux-image-amd64 (or JAILLAB_KERNEL_PACKAGE), with the
 * version apt would install. One apt-cache call: the metapackage pins the exact
 * version it depends on. (apt-cache can take a second where its cache is
 * disabled, as in Debian's container images, so the server does not ask it at
 * every start: see ensureGuestImage.)
 */
export async function resolveKernelPackage(): Promise<KernelPackage> {
  const meta = process.env.JAILLAB_KERNEL_PACKAGE ?? 'linux-image-amd64';
  const show = (await exec('apt-cache', ['show', '--no-all-versions', meta], { allowFailure: true })).stdout.toString();
  const pinned = /^Depends:.*?\b(linux-image-[^\s,]+-amd64) \(= ([^)\s]+)\)/m.exec(show);
  if (pinned) return { name: pinned[1]!, version: pinned[2]! };
  const version = /^Version:\s*(\S+)/m.exec(show)?.[1];
  if (version && /^linux-image-\d/.test(meta)) return { name: meta, version };
  throw new Error(`apt-cache knows no ${meta}: run \`apt-get update\` first`);
}

/** Downloads the .deb into dir once (apt-get download), returns its path. */
export async function downloadDeb(pkg: KernelPackage, dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const wanted = `${pkg.name}_${pkg.version.replace(/:/g, '%3a')}_amd64.deb`;
  if (!existsSync(join(dir, wanted))) await exec('apt-get', ['download', `${pkg.name}=${pkg.version}`], { cwd: dir });
  const found = (await readdir(dir)).find((f) => f === wanted || (f.startsWith(`${pkg.name}_`) && f.endsWith('.deb')));
  if (!found) throw new Error(`apt-get download ${pkg.name} left no .deb in ${dir}`);
  return join(dir, found);
}

const MAGICS: Array<{ name: string; bytes: number[]; decompress: (data: Buffer) => Promise<Buffer> }> = [
  { name: 'xz', bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], decompress: async (d) => (await exec('xz', ['-dc', '--single-stream'], { input: d, allowFailure: true })).stdout },
  { name: 'zstd', bytes: [0x28, 0xb5, 0x2f, 0xfd], decompress: async (d) => (await exec('zstd', ['-dc'], { input: d, allowFailure: true })).stdout },
  { name: 'gzip', bytes: [0x1f, 0x8b, 0x08], decompress: async (d) => gunzipSync(d, { finishFlush: 2 }) },
];

/** Finds the compressed payload inside a bzImage and returns the ELF vmlinux it holds, stripped. */
export async function extractVmlinux(vmlinuz: string, out: string): Promise<void> {
  const image = await readFile(vmlinuz);
  for (const m of MAGICS) {
    let at = image.indexOf(Buffer.from(m.bytes));
    while (at >= 0) {
      const raw = await m.decompress(image.subarray(at));
      if (raw.subarray(0, 4).equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]))) {
        await writeFile(out + '.raw', raw);
        await exec('objcopy', ['--strip-all', out + '.raw', out]);
        await rm(out + '.raw');
        await assertPvhEntry(out);
        return;
      }
      at = image.indexOf(Buffer.from(m.bytes), at + 1);
    }
  }
  throw new Error(`no ELF kernel found inside ${vmlinuz}`);
}

/** QEMU can only boot a vmlinux directly through the Xen PVH entry note (XEN_ELFNOTE_PHYS32_ENTRY = 18). */
async function assertPvhEntry(vmlinux: string): Promise<void> {
  const notes = (await exec('readelf', ['-n', vmlinux])).stdout.toString();
  if (!/Xen\s+0x[0-9a-f]+\s+Unknown note type: \(0x00000012\)/.test(notes) && !/XEN_ELFNOTE_PHYS32_ENTRY/.test(notes))
    throw new Error(`${vmlinux} has no PVH entry point: this kernel cannot be booted uncompressed`);
}
