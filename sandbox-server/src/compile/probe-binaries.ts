import { createHash } from 'node:crypto';
import type { CompileResult } from './compile-c.js';
import type { CompileCache } from './compile-cache.js';
import { ContentError } from '../lessons/content-error.js';
import type { ProbeLibrary } from '../lessons/probe-library.js';
import type { PreloadFile } from '../vm/template.js';
import type { RunJob } from '../execution/run-job.js';

export interface ProbeBinary {
  probe: Buffer;
  accomplice: Buffer | null;
}

export class ProbeCompileError extends Error {}

const hashes = new WeakMap<Buffer, string>();

/** A binary's sha256 (hex), computed once per buffer: the name a template knows it by. */
export function binaryHash(binary: Buffer): string {
  let h = hashes.get(binary);
  if (!h) hashes.set(binary, (h = createHash('sha256').update(binary).digest('hex')));
  return h;
}

/** Binaries as files for the VM template, so runs stage them by name. */
export function preloadFiles(probes: Iterable<ProbeBinary>): PreloadFile[] {
  return [...probes].flatMap((b) => [b.probe, ...(b.accomplice ? [b.accomplice] : [])]).map((data) => ({ hash: binaryHash(data), data }));
}

/**
 * Probe and accomplice binaries from their sources: static musl (or, for a
 * probe that says `linkage: dynamic`, against the guest world's glibc), compiled
 * beside probe.h, once per distinct source (memory, then the compile cache on
 * disk). A job carries its probes' sources, so a run gets exactly the probes
 * its lesson had when it started, on this machine or a runner elsewhere.
 */
export class ProbeBuilder {
  private readonly memo = new Map<string, Promise<Buffer>>();

  constructor(private readonly cache: CompileCache) {}

  binary(source: string, fileName: string, header: string, label: string, linkage: 'static' | 'dynamic' = 'static'): Promise<Buffer> {
    const key = createHash('sha256').update(linkage).update('\0').update(header).update('\0').update(fileName).update('\0').update(source).digest('hex');
    // A dynamic probe is linked against the guest's glibc (the host's libc6, copied into the guest image) like most programs.
    const how = linkage === 'dynamic' ? ({ libc: 'glibc', linkage: 'dynamic' } as const) : ({ libc: 'musl' } as const);
    let b = this.memo.get(key);
    if (!b) {
      b = this.cache.get({ source, fileName, extraFiles: { 'probe.h': header }, ...how }, { persist: true }).then((r) => {
        if (!r.ok || !r.binary) throw new ProbeCompileError(`${label} does not compile:\n${r.text}`);
        return r.binary;
      });
      b.catch(() => this.memo.delete(key));
      this.memo.set(key, b);
    }
    return b;
  }

  /** A draft probe compiled as a run would compile it, for gcc's diagnostics (the probe editor's markers). */
  check(source: string, header: string): Promise<CompileResult> {
    // Not kept on disk: a draft changes at every keystroke pause; the one that is kept or fired compiles again through binary().
    return this.cache.get({ source, fileName: 'probe.c', extraFiles: { 'probe.h': header }, libc: 'musl' }, { persist: false });
  }

  /** The binaries of every probe a job's checks use, by probe id. */
  async forJob(job: Pick<RunJob, 'lesson' | 'probeHeader'>): Promise<Map<string, ProbeBinary>> {
    const out = new Map<string, ProbeBinary>();
    await Promise.all(
      job.lesson.checks.map(async ({ probe: p }) => {
        const [probe, accomplice] = await Promise.all([
          this.binary(p.source, 'probe.c', job.probeHeader, `probe ${p.id}`, p.linkage),
          p.accompliceSource === null ? null : this.binary(p.accompliceSource, 'accomplice.c', job.probeHeader, `accomplice of ${p.id}`),
        ]);
        out.set(p.id, { probe, accomplice });
      }),
    );
    return out;
  }

  /**
   * Every probe of the library, compiled (at start-up: the VM template preloads them). A probe that does
   * not compile is a content error, reported with gcc's words.
   */
  async library(library: ProbeLibrary): Promise<Map<string, ProbeBinary>> {
    const problems: string[] = [];
    const out = new Map<string, ProbeBinary>();
    const one = (id: string, fileName: string, source: string, linkage: 'static' | 'dynamic' = 'static'): Promise<Buffer | null> =>
      this.binary(source, fileName, library.header, `lessons/probes/${id}/${fileName}`, linkage).catch((e: Error) => {
        problems.push(e.message);
        return null;
      });
    await Promise.all(
      [...library.probes.values()].map(async (p) => {
        const [probe, accomplice] = await Promise.all([one(p.id, 'probe.c', p.source, p.meta.linkage ?? 'static'), p.accompliceSource === null ? null : one(p.id, 'accomplice.c', p.accompliceSource)]);
        if (probe) out.set(p.id, { probe, accomplice });
      }),
    );
    if (problems.length) throw new ContentError(problems);
    return out;
  }
}
