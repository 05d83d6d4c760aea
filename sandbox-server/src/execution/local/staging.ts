import type { StagedFile } from '../../vm/guest-job.js';
import type { RunJob } from '../run-job.js';
import { binaryHash, type ProbeBinary } from '../../compile/probe-binaries.js';

/** A binary, by name if the VM's template already holds it, else in full. */
function binaryFile(path: string, binary: Buffer, preloaded: ReadonlySet<string>): StagedFile {
  const hash = binaryHash(binary);
  return preloaded.has(hash) ? { path, kind: 'preloaded', mode: 0o755, data: Buffer.from(hash) } : { path, kind: 'file', mode: 0o755, data: binary };
}

/** The files a job needs in the guest, before the learner's program is compiled: the jail tree, every probe and accomplice. */
export function lessonFiles(lesson: RunJob['lesson'], probes: Map<string, ProbeBinary>, preloaded: ReadonlySet<string>): StagedFile[] {
  const files: StagedFile[] = lesson.tree.map((e) => ({ path: `tree/${e.path}`, kind: e.kind, mode: e.mode, data: Buffer.from(e.data, 'base64') }));
  for (const check of lesson.checks) {
    const bin = probes.get(check.probe.id);
    if (!bin) throw new Error(`probe ${check.probe.id} has no binary`);
    files.push(binaryFile(`probes/${check.probe.id}`, bin.probe, preloaded));
    if (bin.accomplice) files.push(binaryFile(`accomplices/${check.probe.id}`, bin.accomplice, preloaded));
  }
  return files;
}

/** How many of these files the template held (staged by name). */
export const preloadedCount = (files: StagedFile[]): number => files.filter((f) => f.kind === 'preloaded').length;

export function programFile(binary: Buffer): StagedFile {
  return { path: 'jailer', kind: 'file', mode: 0o755, data: binary };
}
