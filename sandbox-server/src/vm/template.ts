import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { Accelerator } from '@jaillab/protocol';
import type { GuestImage } from '../../guest/image/build-image.js';
import { exec } from '../../guest/image/exec.js';
import { encodeFrame, Msg, Tag } from './agent-wire.js';
import { describeExit, QemuProcess } from './guest-vm.js';
import { sealRam, type SealedRam } from './jail/sealed-ram.js';
import { vmmSpec } from './jail/vmm-jail.js';
import { kernelCommandLine, qemuArgs } from './qemu-args.js';
import { pruneOldEntries } from '../cache/prune.js';

/**
 * A template is one guest booted until its agent said READY, then frozen: its
 * RAM stays in a file and its device state in another. Clones map the RAM
 * copy-on-write and load the device state, so a ready VM costs tens of
 * milliseconds and a few MiB instead of a multi-second boot. Templates are
 * cached on disk by a hash of everything that shaped them, and never modified
 * once written. The RAM file is the server's alone (0600): clones map a
 * sealed copy of it that no QEMU can write (jail/sealed-ram.c).
 */
export interface VmTemplate {
  key: string;
  dir: string;
  accelerator: Accelerator;
  memoryMiB: number;
  image: GuestImage;
  ramPath: string;
  /** The RAM as clones map it: sealed against writes, held by this server. */
  sealedRam: SealedRam;
  /** QEMU's device state, streamed into every clone. */
  state: Buffer;
  /** sha256s of the binaries preloaded in the guest (PRELOAD_DIR), which runs stage by name. */
  preloaded: ReadonlySet<string>;
}

/** A binary to keep in the template's guest, named by its sha256. */
export interface PreloadFile {
  hash: string;
  data: Buffer;
}

export interface TemplateOptions {
  image: GuestImage;
  accelerator: Accelerator;
  memoryMiB: number;
  cacheDir: string;
  runDir: string;
  log: (line: string) => void;
  /** Binaries every run may stage (probes, accomplices): they are written into the guest before it is frozen. */
  preload?: PreloadFile[];
}

let qemuVersion: Promise<string> | null = null;
function getQemuVersion(): Promise<string> {
  qemuVersion ??= exec('qemu-system-x86_64', ['--version']).then((r) => r.stdout.toString().split('\n')[0] ?? '');
  return qemuVersion;
}

const preloadHashes = (o: TemplateOptions): string[] => [...new Set((o.preload ?? []).map((f) => f.hash))].sort();

async function templateKey(o: TemplateOptions): Promise<string> {
  const args = qemuArgs(vmmSpec(o.accelerator, o.memoryMiB, 'template'));
  return createHash('sha256')
    .update([o.image.id, o.accelerator, o.memoryMiB, await getQemuVersion(), args.join(' '), kernelCommandLine(o.accelerator), ...preloadHashes(o)].join('\n'))
    .digest('hex')
    .slice(0, 16);
}

type StoredTemplate = Omit<VmTemplate, 'sealedRam'>;

async function loadCached(dir: string, o: TemplateOptions, key: string): Promise<StoredTemplate | null> {
  const ramPath = join(dir, 'ram');
  const statePath = join(dir, 'state');
  if (!existsSync(join(dir, 'complete'))) return null;
  try {
    if ((await stat(ramPath)).size !== o.memoryMiB * 1024 * 1024) return null;
    const complete = JSON.parse(await readFile(join(dir, 'complete'), 'utf8')) as { preloaded?: string[] };
    return { key, dir, accelerator: o.accelerator, memoryMiB: o.memoryMiB, image: o.image, ramPath, state: await readFile(statePath), preloaded: new Set(complete.preloaded ?? []) };
  } catch {
    return null;
  }
}

/** Streams a stopped VM's device state out through a unix socket (QEMU's own seccomp filter forbids exec: migration). */
async function saveState(vm: QemuProcess): Promise<Buffer> {
  const socketPath = vm.hostPath('migrate.sock');
  const chunks: Buffer[] = [];
  let listening!: () => void;
  const listened = new Promise<void>((r) => (listening = r));
  const received = new Promise<void>((resolve, reject) => {
    const server = createServer((conn) => {
      conn.on('data', (d: Buffer) => chunks.push(d));
      conn.on('end', () => {
        server.close();
        resolve();
      });
      conn.on('error', reject);
    });
    server.listen(socketPath, listening);
  });
  await listened;
  // The socket is the server's: QEMU, under a uid of its own, may connect only once the socket is that uid's.
  if (vm.identity) await chown(socketPath, vm.identity.uid, vm.identity.gid);
  const qmp = vm.qmp!;
  await qmp.execute('migrate-set-capabilities', { capabilities: [{ capability: 'x-ignore-shared', state: true }] });
  await qmp.execute('migrate', { uri: `unix:${vm.vmmPath('migrate.sock')}` });
  await received;
  for (;;) {
    const info = await qmp.execute<{ status?: string; 'error-desc'?: string }>('query-migrate');
    if (info.status === 'completed') break;
    if (info.status === 'failed') throw new Error(`saving the template failed: ${info['error-desc'] ?? 'unknown error'}`);
    await new Promise((r) => setTimeout(r, 5));
  }
  return Buffer.concat(chunks);
}

/** Writes the binaries into the booted guest and seals it: the agent takes them into its baseline. */
async function preload(vm: QemuProcess, files: PreloadFile[]): Promise<Set<string>> {
  const hashes = new Set<string>();
  for (const f of files) {
    if (hashes.has(f.hash)) continue;
    hashes.add(f.hash);
    vm.channel!.send(encodeFrame(Msg.PRELOAD, [[Tag.PATH, f.hash], [Tag.DATA, f.data]]));
  }
  vm.channel!.send(encodeFrame(Msg.SEAL, []));
  const reply = await vm.channel!.receive(Date.now() + 60_000);
  if (reply.type === Msg.ERROR) throw new Error(`preloading the template failed: ${reply.str(Tag.MESSAGE) ?? 'the agent refused a file'}`);
  if (reply.type !== Msg.SYNCED) throw new Error(`the guest agent answered the seal with message type ${reply.type}`);
  return hashes;
}

async function bootTemplate(o: TemplateOptions, key: string, finalDir: string): Promise<StoredTemplate> {
  const started = Date.now();
  const tmpDir = join(o.cacheDir, 'vm', 'templates', `tmp-${randomBytes(4).toString('hex')}`);
  const runDir = join(o.runDir, `template-${randomBytes(3).toString('hex')}`);
  await mkdir(tmpDir, { recursive: true });
  await mkdir(runDir, { recursive: true });
  let vm: QemuProcess | null = null;
  try {
    vm = await QemuProcess.start(
      'template',
      { accelerator: o.accelerator, memoryMiB: o.memoryMiB, role: 'template' },
      { image: o.image, runDir, sealedRam: null },
    );
    const bootTimeoutMs = o.accelerator === 'kvm' ? 20_000 : 90_000;
    await vm.attach(10_000);
    const ready = await Promise.race([
      vm.channel!.receive(Date.now() + bootTimeoutMs),
      vm.exited.then((e) => Promise.reject(new Error(`the guest died while booting (${describeExit(e)}); console: ${e.consoleTail.trim().slice(-500)}`))),
    ]);
    if (ready.type !== Msg.READY) throw new Error(`the guest agent sent message type ${ready.type} instead of READY`);
    const preloaded = await preload(vm, o.preload ?? []);
    await vm.qmp!.execute('stop');
    const state = await saveState(vm);
    await vm.qmp!.execute('quit').catch(() => {});
    await vm.exited;
    // QEMU wrote the RAM file in its run directory as the VM's uid: a copy (holes kept) becomes the server's alone.
    await exec('cp', ['--sparse=always', vm.hostPath('ram'), join(tmpDir, 'ram')]);
    await chmod(join(tmpDir, 'ram'), 0o600);
    await writeFile(join(tmpDir, 'state'), state);
    await writeFile(join(tmpDir, 'complete'), JSON.stringify({ key, accelerator: o.accelerator, image: o.image.id, bootMs: Date.now() - started, preloaded: [...preloaded] }));
    try {
      await rename(tmpDir, finalDir);
    } catch {
      // Another server made the same template meanwhile: use theirs, it is identical in every way that matters.
      await rm(tmpDir, { recursive: true, force: true });
      const theirs = await loadCached(finalDir, o, key);
      if (theirs) return theirs;
      throw new Error(`could not store the VM template in ${finalDir}`);
    }
    o.log(`vm: ${o.accelerator} template booted and saved in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    // One template per accelerator in use, plus the previous ones for a server still running older code.
    await pruneOldEntries(join(o.cacheDir, 'vm', 'templates'), 't-', 4);
    return { key, dir: finalDir, accelerator: o.accelerator, memoryMiB: o.memoryMiB, image: o.image, ramPath: join(finalDir, 'ram'), state, preloaded };
  } catch (e) {
    await vm?.destroy();
    await rm(tmpDir, { recursive: true, force: true });
    throw e;
  } finally {
    await rm(runDir, { recursive: true, force: true });
  }
}

export async function ensureTemplate(o: TemplateOptions): Promise<VmTemplate> {
  const key = await templateKey(o);
  const dir = join(o.cacheDir, 'vm', 'templates', `t-${key}`);
  const stored = (await loadCached(dir, o, key)) ?? (await bootTemplate(o, key, dir));
  return { ...stored, sealedRam: await sealRam(stored.ramPath, o.cacheDir) };
}

/** Lets go of a template no new clone will use (clones already started keep their own mapping of its RAM). */
export function releaseTemplate(t: VmTemplate): void {
  t.sealedRam.close();
}

/** Throws away a template that clones cannot load (a half-written or damaged file). */
export async function discardTemplate(t: VmTemplate): Promise<void> {
  releaseTemplate(t);
  await rm(t.dir, { recursive: true, force: true });
}
