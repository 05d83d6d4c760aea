import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ProbeId } from '@jaillab/protocol';

/**
 * npm run lesson:new -- <slug> [--chapter NN-chapter]: a new lesson folder at
 * the end of a chapter (the last one unless named). The scaffold is a complete,
 * valid lesson that lessons:check accepts as it is: lesson 1's starter and
 * solution against the cwd probe. The author then changes one thing at a time.
 */
export async function scaffoldLesson(lessonsDir: string, slug: string, chapter?: string): Promise<string> {
  if (!ProbeId.safeParse(slug).success) throw new Error(`"${slug}" is not a slug: lowercase words joined by -`);
  const chapters = (await readdir(lessonsDir, { withFileTypes: true }))
    .filter((e) => e.isDirectory() && /^\d+-/.test(e.name))
    .map((e) => e.name)
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const chapterName = chapter ?? chapters.at(-1);
  if (!chapterName || !chapters.includes(chapterName)) throw new Error(`no chapter folder "${chapter ?? ''}" in ${lessonsDir} (have: ${chapters.join(', ')})`);
  const chapterDir = join(lessonsDir, chapterName);
  const lessons = (await readdir(chapterDir)).filter((n) => /^\d+-/.test(n));
  if (lessons.some((n) => n.replace(/^\d+-/, '') === slug)) throw new Error(`${chapterName} already has a lesson "${slug}"`);
  const next = Math.max(0, ...lessons.map((n) => Number.parseInt(n, 10))) + 1;
  const dir = join(chapterDir, `${String(next).padStart(2, '0')}-${slug}`);
  const first = join(lessonsDir, '01-first-jail', '01-a-jail-that-leaks');
  const starter = existsSync(first) ? await readFile(join(first, '_files', 'jail.c'), 'utf8') : 'int main(void) { return 1; }\n';
  const solution = existsSync(first) ? await readFile(join(first, '_solution', 'jail.c'), 'utf8') : 'int main(void) { return 0; }\n';
  const title = slug.replace(/-/g, ' ').replace(/^./, (c) => c.toUpperCase());
  await mkdir(join(dir, '_files'), { recursive: true });
  await mkdir(join(dir, '_solution'), { recursive: true });
  await writeFile(
    join(dir, 'lesson.md'),
    `---
# Fields: lessons/schema/lesson.schema.json; the guide: lessons/README.md.
title: ${title}
summary: One line for the course outline.
probes: [cwd-outside]
starterEscapes: [cwd-outside]
hints:
  - probe: cwd-outside
    text: A nudge, not the answer.
---
# ${title}

What the learner should understand, in a few short paragraphs.

## Your task

What to change in the program.
`,
  );
  await writeFile(join(dir, '_files', 'jail.c'), starter);
  await writeFile(join(dir, '_solution', 'jail.c'), solution);
  return dir;
}
