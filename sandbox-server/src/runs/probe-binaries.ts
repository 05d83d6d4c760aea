import { createHash } from 'node:crypto';
import type { CompileCache } from '../compile/compile-cache.js';
import type { PreloadFile } from '../vm/template.js';
import { ContentError } from '../lessons/content-error.js';
import type { ProbeLibrary } from '../lessons/probe-library.js';

export interface ProbeBinary {
  probe: Buffer;
  accomplice: Buffer | null;
}

const hashes = new WeakMap<Buffer, string>();

/** A binary's sha256 (hex), computed once per buffer: the name a template knows it by. */
export function binaryHash(binary: Buffer): string {
  let h = hashes.get(binary);
  if (!h) hashes.set(binary, (h = createHash('sha256').update(binary).digest('hex')));
  return h;
}

/** The probe library as files for the VM template, so runs stage the probes by name. */
export function preloadFiles(probes: Map<string, ProbeBinary>): PreloadFile[] {
  return [...probes.values()].flatMap((b) => [b.probe, ...(b.accomplice ? [b.accomplice] : [])]).map((data) => ({ hash: binaryHash(data), data }));
}

/**
 * Every probe (and accomplice) in the library, compiled once per toolchain and
 * cached on disk by content hash. A probe that does not compile is a content
 * error, reported with gcc's words.
 */
export async function compileProbeLibrary(library: ProbeLibrary, cache: CompileCache): Promise<Map<string, ProbeBinary>> {
  const problems: string[] = [];
  const out = new Map<string, ProbeBinary>();
  const compileOne = async (id: string, fileName: string, source: string, dynamic = false): Promise<Buffer | null> => {
    // A dynamic probe is linked against the guest's glibc (the host's libc6, copied into the guest image) like most programs.
    const how = dynamic ? ({ libc: 'glibc', linkage: 'dynamic' } as const) : ({ libc: 'musl' } as const);
    const r = await cache.get({ source, fileName, extraFiles: { 'probe.h': library.header }, ...how }, { persist: true });
    if (!r.ok) problems.push(`lessons/probes/${id}/${fileName} does not compile:\n${r.text}`);
    return r.binary;
  };
  await Promise.all(
    [...library.probes.values()].map(async (p) => {
      const [probe, accomplice] = await Promise.all([
        compileOne(p.id, 'probe.c', p.source, p.meta.linkage === 'dynamic'),
        p.accompliceSource === null ? Promise.resolve(null) : compileOne(p.id, 'accomplice.c', p.accompliceSource),
      ]);
      if (probe) out.set(p.id, { probe, accomplice });
    }),
  );
  if (problems.length) throw new ContentError(problems);
  return out;
}
