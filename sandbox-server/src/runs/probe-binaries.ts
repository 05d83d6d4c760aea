import type { CompileCache } from '../compile/compile-cache.js';
import { ContentError } from '../lessons/content-error.js';
import type { ProbeLibrary } from '../lessons/probe-library.js';

export interface ProbeBinary {
  probe: Buffer;
  accomplice: Buffer | null;
}

/**
 * Every probe (and accomplice) in the library, compiled once per toolchain and
 * cached on disk by content hash. A probe that does not compile is a content
 * error, reported with gcc's words.
 */
export async function compileProbeLibrary(library: ProbeLibrary, cache: CompileCache): Promise<Map<string, ProbeBinary>> {
  const problems: string[] = [];
  const out = new Map<string, ProbeBinary>();
  const compileOne = async (id: string, fileName: string, source: string): Promise<Buffer | null> => {
    const r = await cache.get({ source, fileName, extraFiles: { 'probe.h': library.header }, libc: 'musl' }, { persist: true });
    if (!r.ok) problems.push(`lessons/probes/${id}/${fileName} does not compile:\n${r.text}`);
    return r.binary;
  };
  await Promise.all(
    [...library.probes.values()].map(async (p) => {
      const [probe, accomplice] = await Promise.all([
        compileOne(p.id, 'probe.c', p.source),
        p.accompliceSource === null ? Promise.resolve(null) : compileOne(p.id, 'accomplice.c', p.accompliceSource),
      ]);
      if (probe) out.set(p.id, { probe, accomplice });
    }),
  );
  if (problems.length) throw new ContentError(problems);
  return out;
}
