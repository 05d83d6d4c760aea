import type { Lesson } from '../lessons/lesson.js';
import type { StagedFile } from '../vm/guest-job.js';
import type { ProbeBinary } from './probe-binaries.js';

/** The files a lesson's run needs in the guest, before the learner's program is compiled. */
export function lessonFiles(lesson: Lesson, probes: Map<string, ProbeBinary>): StagedFile[] {
  const files: StagedFile[] = lesson.tree.map((e) => ({ path: `tree/${e.path}`, kind: e.kind, mode: e.mode, data: e.data }));
  for (const check of lesson.checks) {
    const bin = probes.get(check.probe.id);
    if (!bin) throw new Error(`probe ${check.probe.id} has no binary`);
    files.push({ path: `probes/${check.probe.id}`, kind: 'file', mode: 0o755, data: bin.probe });
    if (bin.accomplice) files.push({ path: `accomplices/${check.probe.id}`, kind: 'file', mode: 0o755, data: bin.accomplice });
  }
  return files;
}

export function programFile(binary: Buffer): StagedFile {
  return { path: 'jailer', kind: 'file', mode: 0o755, data: binary };
}
