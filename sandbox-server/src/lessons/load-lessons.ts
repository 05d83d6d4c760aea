import { existsSync } from 'node:fs';
import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { ChapterFrontMatter, LessonFrontMatter } from '@jaillab/protocol';
import { marked } from 'marked';
import { Problems } from './content-error.js';
import { parseFrontMatter } from './front-matter.js';
import { type CheckSpec, DEFAULT_LIMITS, type JailTreeEntry, type Lesson } from './lesson.js';
import { loadProbeLibrary, type ProbeLibrary } from './probe-library.js';

/**
 * Reads lessons/ (content only):
 *
 *   lessons/probes/<probe-id>/            the shared probe library
 *   lessons/schema/*.json                 JSON Schemas of the front matter, for editors (generated)
 *   lessons/NN-chapter/meta.md            chapter title and settings its lessons inherit
 *   lessons/NN-chapter/NN-lesson/
 *     lesson.md                           front matter + the text
 *     _files/<name>.c                     the starter program
 *     _solution/<name>.c                  the reference solution
 *     jail/                               the jail tree (optional)
 *
 * The NN- prefixes order the course; ids drop them (chapter-slug/lesson-slug) so
 * reordering lessons keeps learners' progress attached. Any mistake is a hard
 * error naming the file and field.
 */

const ORDERED = /^(\d+)-([a-z0-9][a-z0-9-]*)$/;

export interface Course {
  lessons: Lesson[];
  chapters: Array<{ id: string; title: string; lessonIds: string[] }>;
  library: ProbeLibrary;
}

async function orderedDirs(dir: string, problems: Problems, skip: Set<string>): Promise<Array<{ name: string; slug: string; path: string }>> {
  const out: Array<{ name: string; slug: string; path: string }> = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    if (!e.isDirectory() || skip.has(e.name) || e.name.startsWith('.') || e.name.startsWith('_')) continue;
    const m = ORDERED.exec(e.name);
    if (!m) {
      problems.add(join(dir, e.name), 'folder names must look like NN-slug (digits, a dash, lowercase words)');
      continue;
    }
    out.push({ name: e.name, slug: m[2]!, path: join(dir, e.name) });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
}

async function singleCFile(dir: string, problems: Problems): Promise<{ name: string; text: string } | null> {
  if (!existsSync(dir)) {
    problems.add(dir, 'missing');
    return null;
  }
  const files = (await readdir(dir)).filter((f) => f.endsWith('.c'));
  if (files.length !== 1) {
    problems.add(dir, `must hold exactly one .c file (found ${files.length})`);
    return null;
  }
  return { name: files[0]!, text: await readFile(join(dir, files[0]!), 'utf8') };
}

async function readJailTree(dir: string, problems: Problems): Promise<JailTreeEntry[]> {
  const entries: JailTreeEntry[] = [];
  if (!existsSync(dir)) return entries;
  const walk = async (d: string): Promise<void> => {
    for (const name of (await readdir(d)).sort()) {
      const p = join(d, name);
      const rel = relative(dir, p);
      const st = await lstat(p);
      const mode = st.mode & 0o7777;
      if (st.isSymbolicLink()) entries.push({ path: rel, kind: 'symlink', mode: 0o777, data: Buffer.from(await readlink(p)) });
      else if (st.isDirectory()) {
        entries.push({ path: rel, kind: 'dir', mode, data: Buffer.alloc(0) });
        await walk(p);
      } else if (st.isFile()) entries.push({ path: rel, kind: 'file', mode, data: await readFile(p) });
      else problems.add(p, 'only files, directories and symlinks can be part of a jail tree');
    }
  };
  await walk(dir);
  return entries;
}

export async function loadCourse(lessonsDir: string): Promise<Course> {
  const problems = new Problems();
  const library = await loadProbeLibrary(join(lessonsDir, 'probes'), problems);
  const lessons: Lesson[] = [];
  /** Each lesson's lesson.md, to name it in problems found across lessons. */
  const lessonFiles = new Map<string, string>();
  const chapters: Course['chapters'] = [];
  for (const chapterDir of await orderedDirs(lessonsDir, problems, new Set(['probes', 'schema']))) {
    const metaPath = join(chapterDir.path, 'meta.md');
    if (!existsSync(metaPath)) {
      problems.add(metaPath, 'missing: every chapter needs a title');
      continue;
    }
    const chapter = parseFrontMatter(await readFile(metaPath, 'utf8'), ChapterFrontMatter, metaPath, problems).data;
    if (!chapter) continue;
    const lessonIds: string[] = [];
    for (const lessonDir of await orderedDirs(chapterDir.path, problems, new Set())) {
      const lesson = await loadLesson(`${chapterDir.slug}/${lessonDir.slug}`, chapterDir.slug, chapter, lessonDir.path, library, problems);
      if (lesson) {
        lessons.push(lesson);
        lessonFiles.set(lesson.id, join(lessonDir.path, 'lesson.md'));
        lessonIds.push(lesson.id);
      }
    }
    if (lessonIds.length === 0) problems.add(chapterDir.path, 'a chapter needs at least one lesson');
    chapters.push({ id: chapterDir.slug, title: chapter.title, lessonIds });
  }
  if (lessons.length === 0) problems.add(lessonsDir, 'no lessons found');
  linkSolutionEscapes(lessons, lessonFiles, problems);
  problems.throwIfAny();
  return { lessons, chapters, library };
}

/**
 * A probe that escapes a lesson's solution on purpose must be closed later, and for real: the lesson named in
 * closedIn comes after this one, runs the probe, and does not let it escape its own solution (lessons:check
 * then proves that solution contains it). Links each such check to its closer's title for the learner.
 */
function linkSolutionEscapes(lessons: Lesson[], lessonFiles: ReadonlyMap<string, string>, problems: Problems): void {
  const order = new Map(lessons.map((l, i) => [l.id, i]));
  for (const [at, lesson] of lessons.entries()) {
    const mdPath = lessonFiles.get(lesson.id)!;
    for (const [i, e] of lesson.meta.solutionEscapes.entries()) {
      const field = `solutionEscapes.${i}.closedIn`;
      const closerAt = order.get(e.closedIn);
      const closer = closerAt === undefined ? undefined : lessons[closerAt]!;
      if (!closer) problems.add(mdPath, `${field}: no lesson "${e.closedIn}"`);
      else if (closerAt! <= at) problems.add(mdPath, `${field}: "${e.closedIn}" does not come after this lesson: a learner would meet the fix first`);
      else if (!closer.checks.some((c) => c.probe.id === e.probe)) problems.add(mdPath, `${field}: "${e.closedIn}" does not run "${e.probe}", so nothing proves it closes it`);
      else if (closer.meta.solutionEscapes.some((o) => o.probe === e.probe)) problems.add(mdPath, `${field}: "${e.closedIn}" lets "${e.probe}" escape its solution too`);
      else {
        const check = lesson.checks.find((c) => c.probe.id === e.probe);
        if (check) check.closedIn = { lessonId: closer.id, title: closer.meta.title };
      }
    }
  }
}

async function loadLesson(
  id: string,
  chapterId: string,
  chapter: ChapterFrontMatter,
  dir: string,
  library: ProbeLibrary,
  problems: Problems,
): Promise<Lesson | null> {
  const mdPath = join(dir, 'lesson.md');
  if (!existsSync(mdPath)) {
    problems.add(mdPath, 'missing');
    return null;
  }
  const { data: meta, body } = parseFrontMatter(await readFile(mdPath, 'utf8'), LessonFrontMatter, mdPath, problems);
  const starter = await singleCFile(join(dir, '_files'), problems);
  const solution = await singleCFile(join(dir, '_solution'), problems);
  if (!meta || !starter || !solution) return null;
  if (starter.name !== solution.name) problems.add(join(dir, '_solution'), `the solution must be named like the starter (${starter.name})`);
  if (starter.text.trim() === solution.text.trim()) problems.add(join(dir, '_solution', solution.name), 'is identical to the starter: the lesson would teach nothing');
  if (!body.trim()) problems.add(mdPath, 'the lesson text below the front matter is empty');

  const probeIds = meta.probes ?? chapter.probes ?? [];
  const serviceIds = meta.services ?? chapter.services ?? [];
  if (probeIds.length === 0) problems.add(mdPath, 'probes: a lesson needs at least one escape probe (here or in the chapter meta.md)');
  const checks: CheckSpec[] = [];
  for (const [kind, ids, field] of [['escape', probeIds, 'probes'], ['service', serviceIds, 'services']] as const) {
    for (const probeId of ids) {
      const probe = library.probes.get(probeId);
      if (!probe) problems.add(mdPath, `${field}: no probe "${probeId}" in lessons/probes/`);
      else if (probe.meta.kind !== kind) problems.add(mdPath, `${field}: "${probeId}" is a ${probe.meta.kind} check, not ${kind === 'escape' ? 'an escape probe' : 'a service check'}`);
      else checks.push({ index: checks.length, kind, probe });
    }
  }
  for (const p of meta.starterEscapes) if (!probeIds.includes(p)) problems.add(mdPath, `starterEscapes: "${p}" is not one of this lesson's probes`);
  for (const [i, e] of meta.solutionEscapes.entries()) {
    if (!probeIds.includes(e.probe)) problems.add(mdPath, `solutionEscapes.${i}.probe: "${e.probe}" is not one of this lesson's probes`);
    else if (meta.solutionEscapes.findIndex((o) => o.probe === e.probe) !== i) problems.add(mdPath, `solutionEscapes.${i}.probe: "${e.probe}" is listed twice`);
  }
  for (const [i, h] of meta.hints.entries())
    if (h.probe && !probeIds.includes(h.probe) && !serviceIds.includes(h.probe)) problems.add(mdPath, `hints.${i}.probe: "${h.probe}" is not a check of this lesson`);

  return {
    id,
    chapterId,
    dir,
    chapterTitle: chapter.title,
    meta,
    html: await marked.parse(body, { async: true }),
    starterFileName: starter.name,
    starter: starter.text,
    solution: solution.text,
    tree: await readJailTree(join(dir, 'jail'), problems),
    checks,
    limits: { ...DEFAULT_LIMITS, ...chapter.limits, ...meta.limits },
    supplementaryGroups: meta.supplementaryGroups ?? chapter.supplementaryGroups ?? [],
  };
}
