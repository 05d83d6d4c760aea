import type { CheckKind, LessonFrontMatter } from '@jaillab/protocol';
import type { Probe } from './probe-library.js';

/** One file of a lesson's jail tree, as it will be placed below /jail in the guest. */
export interface JailTreeEntry {
  /** Relative to the jail root, e.g. data/motd.txt. */
  path: string;
  kind: 'file' | 'dir' | 'symlink';
  mode: number;
  /** File contents, or the symlink's target. */
  data: Buffer;
}

export interface CheckSpec {
  index: number;
  kind: CheckKind;
  probe: Probe;
  /** A probe that escapes even the reference solution (solutionEscapes): the later lesson that closes it. */
  closedIn?: { lessonId: string; title: string };
}

export interface EffectiveLimits {
  wallTimeMs: number;
  memoryBytes: number;
  processes: number;
  outputBytes: number;
}

/** A lesson as the server uses it: settings resolved (chapter → lesson), content read, probes linked. */
export interface Lesson {
  id: string;
  chapterId: string;
  /** Its folder (lessons/<chapter>/<lesson>/): where lesson.md is, for an edit made from the probe editor. */
  dir: string;
  chapterTitle: string;
  meta: LessonFrontMatter;
  html: string;
  starterFileName: string;
  starter: string;
  solution: string;
  tree: JailTreeEntry[];
  checks: CheckSpec[];
  limits: EffectiveLimits;
  /** The supplementary groups the jail program starts with (chapter → lesson; none by default). */
  supplementaryGroups: number[];
}

export const DEFAULT_LIMITS: EffectiveLimits = {
  wallTimeMs: 5000,
  memoryBytes: 64 << 20,
  processes: 64,
  outputBytes: 256 << 10,
};
