import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ProbeDraft } from '@jaillab/protocol';
import { isMap, isSeq, parseDocument, stringify } from 'yaml';

/** Where a kept probe says it comes from (probe.md's `source`). */
export const INSTRUCTOR_SOURCE = 'written by the instructor in the probe editor';

/** The summary is the explanation's first sentence (probe.md allows 200 characters). */
export function summaryOf(explanation: string): string {
  const first = /^[\s\S]*?[.!?](?=\s|$)/.exec(explanation.trim())?.[0] ?? explanation.trim();
  const line = first.replace(/\s+/g, ' ');
  return line.length <= 200 ? line : `${line.slice(0, 199)}…`;
}

/** probe.md for a draft: front matter the loader validates (ProbeFrontMatter), the explanation below it. */
export function probeMarkdown(draft: ProbeDraft): string {
  // One line per field (lineWidth 0): a summary folded over two lines reads badly in the file.
  const front = stringify({ title: draft.title, kind: 'escape', summary: summaryOf(draft.explanation), source: INSTRUCTOR_SOURCE }, { lineWidth: 0 });
  return `---\n${front}---\n${draft.explanation.trim()}\n`;
}

/**
 * lesson.md with a probe added to its `probes` (and `starterEscapes`, when the
 * starter is meant to fall to it), the rest of the file as the author wrote
 * it: comments, order and flow style are kept (yaml's document API).
 */
export function lessonWithProbe(lessonMd: string, probeId: string, starterFalls: boolean): string {
  const m = /^---\r?\n([\s\S]*?\r?\n)---(\r?\n[\s\S]*)$/.exec(lessonMd);
  if (!m) throw new Error('lesson.md has no front matter');
  const doc = parseDocument(m[1]!);
  if (!isMap(doc.contents)) throw new Error('lesson.md front matter is not a map');
  const add = (key: string): void => {
    const seq = doc.get(key);
    if (seq === undefined) doc.set(key, doc.createNode([probeId], { flow: true }));
    else if (!isSeq(seq)) throw new Error(`lesson.md: ${key} is not a list`);
    else if (!seq.items.some((i) => String((i as { value?: unknown }).value ?? i) === probeId)) seq.add(doc.createNode(probeId));
  };
  add('probes');
  if (starterFalls) add('starterEscapes');
  return `---\n${doc.toString()}---${m[2]!}`;
}

/** What a keep changed, to put back if the loader refuses the result. */
export interface KeptFiles {
  /** Relative to the lessons directory. */
  files: string[];
  undo(): Promise<void>;
}

async function writeAtomically(path: string, text: string): Promise<void> {
  await writeFile(`${path}.tmp`, text, { mode: 0o644 });
  await rename(`${path}.tmp`, path);
}

/**
 * Writes lessons/probes/<id>/probe.c and probe.md (and the lesson's new
 * lesson.md), each whole or not at all; `undo` puts every file back as it was.
 */
export async function writeProbeFiles(lessonsDir: string, draft: ProbeDraft, lesson: { dir: string; starterFalls: boolean } | null): Promise<KeptFiles> {
  const dir = join(lessonsDir, 'probes', draft.id);
  const existed = existsSync(dir);
  const before = new Map<string, string | null>();
  const remember = async (path: string): Promise<void> => {
    before.set(path, existsSync(path) ? await readFile(path, 'utf8') : null);
  };
  const targets: Array<[string, string]> = [
    [join(dir, 'probe.c'), draft.source.endsWith('\n') ? draft.source : `${draft.source}\n`],
    [join(dir, 'probe.md'), probeMarkdown(draft)],
  ];
  if (lesson) {
    const md = join(lesson.dir, 'lesson.md');
    targets.push([md, lessonWithProbe(await readFile(md, 'utf8'), draft.id, lesson.starterFalls)]);
  }
  for (const [path] of targets) await remember(path);
  await mkdir(dir, { recursive: true });
  for (const [path, text] of targets) await writeAtomically(path, text);
  return {
    files: targets.map(([path]) => path.slice(lessonsDir.length).replace(/^\/+/, '')),
    undo: async () => {
      for (const [path, text] of before) {
        if (text === null) await rm(path, { force: true });
        else await writeAtomically(path, text);
      }
      if (!existed) await rm(dir, { recursive: true, force: true });
    },
  };
}
