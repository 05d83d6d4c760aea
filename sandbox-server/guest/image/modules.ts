import { readdir, readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { exec } from './exec.js';

/**
 * Debian builds virtio, loop and ext4 as modules. We load them from the
 * initramfs with busybox insmod, so the dependency order is worked out here
 * (the package ships no modules.dep) with modinfo.
 */
export const WANTED_MODULES = [
  'virtio_mmio', // microvm finds its virtio devices over MMIO (described through ACPI)
  'virtio_console', // the host <-> agent channel: a virtio-serial port
  'loop', // the world's disk
  'crc32c_generic', // ext4 metadata checksums ask the crypto API for crc32c
  'ext4',
];

const canonical = (name: string): string => name.replace(/-/g, '_');

async function indexModules(root: string): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const walk = async (dir: string): Promise<void> => {
    for (const e of await readdir(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.name.endsWith('.ko')) found.set(canonical(e.name.slice(0, -3)), p);
    }
  };
  await walk(root);
  return found;
}

/** Modules this kernel has built in (modules.builtin beside kernel/): nothing to load for them. */
async function builtinModules(modulesDir: string): Promise<Set<string>> {
  const text = await readFile(join(dirname(modulesDir), 'modules.builtin'), 'utf8').catch(() => '');
  return new Set(text.split('\n').filter(Boolean).map((l) => canonical(basename(l, '.ko'))));
}

/**
 * Returns [name, path] for the wanted modules and everything they depend on,
 * dependencies first. modulesDir is lib/modules/<version>/kernel.
 */
export async function resolveModules(modulesDir: string, wanted: string[] = WANTED_MODULES): Promise<Array<[string, string]>> {
  const index = await indexModules(modulesDir);
  const builtin = await builtinModules(modulesDir);
  const ordered: Array<[string, string]> = [];
  const seen = new Set<string>();
  const visit = async (name: string, chain: string[]): Promise<void> => {
    const key = canonical(name);
    if (seen.has(key) || builtin.has(key)) return;
    if (chain.includes(key)) throw new Error(`module dependency cycle: ${[...chain, key].join(' -> ')}`);
    const path = index.get(key);
    if (!path) throw new Error(`kernel module ${name} not found in ${modulesDir} (needed by ${chain.at(-1) ?? 'the guest'})`);
    const deps = (await exec('modinfo', ['-F', 'depends', path])).stdout.toString().trim();
    for (const dep of deps.split(',').filter(Boolean)) await visit(dep, [...chain, key]);
    seen.add(key);
    ordered.push([key, path]);
  };
  for (const name of wanted) await visit(name, []);
  return ordered;
}
