import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LESSONS_DIR } from '../../test/lesson-sources.js';
import { ContentError } from './content-error.js';
import { loadCourse } from './load-lessons.js';

async function writeTree(root: string, files: Record<string, string>): Promise<void> {
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  }
}

const probeFiles = {
  'probes/probe.h': '/* shared */\n',
  'probes/cwd-outside/probe.md': '---\ntitle: t\nkind: escape\nsummary: s\nsource: TLPI\n---\nExplained.\n',
  'probes/cwd-outside/probe.c': 'int main(void){return 0;}\n',
};

describe('loading lessons', () => {
  it('loads the real course, ids without their order prefixes, settings inherited from the chapter', async () => {
    const course = await loadCourse(LESSONS_DIR);
    const first = course.lessons[0]!;
    expect(first.id).toBe('first-jail/a-jail-that-leaks');
    expect(first.checks.map((c) => [c.probe.id, c.kind])).toEqual([
      ['cwd-outside', 'escape'],
      ['read-data', 'service'],
    ]);
    expect(first.tree.map((e) => e.path)).toContain('data/motd.txt');
  });

  it('fails loudly on content mistakes, naming the file and the field', async () => {
    const root = await mkdtemp(join(tmpdir(), 'jaillab-lessons-'));
    await writeTree(root, {
      ...probeFiles,
      '01-ch/meta.md': '---\ntitle: Chapter\n---\n',
      '01-ch/01-bad/lesson.md': '---\ntitle: Bad\nsummary: s\nprobes: [no-such-probe]\nstarterEscapes: [cwd-outside]\ncolour: blue\n---\nText.\n',
      '01-ch/01-bad/_files/jail.c': 'int main(void){return 0;}\n',
      '01-ch/01-bad/_solution/jail.c': 'int main(void){return 0;}\n',
      '01-ch/02-same/lesson.md': '---\ntitle: Same\nsummary: s\nprobes: [cwd-outside]\nstarterEscapes: [cwd-outside]\n---\nText.\n',
      '01-ch/02-same/_files/jail.c': 'int main(void){return 0;}\n',
      '01-ch/02-same/_solution/jail.c': 'int main(void){return 0;}\n',
      '01-ch/Bad Name/lesson.md': 'x',
    });
    const err = await loadCourse(root).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ContentError);
    const problems = (err as ContentError).problems.join('\n');
    expect(problems).toMatch(/01-bad\/lesson\.md: front matter: Unrecognized key: "colour"|01-bad\/lesson\.md: .*colour/);
    expect(problems).toMatch(/02-same\/_solution\/jail\.c: is identical to the starter/);
    expect(problems).toMatch(/Bad Name: folder names must look like NN-slug/);
  });

  it('names a probe that does not exist', async () => {
    const root = await mkdtemp(join(tmpdir(), 'jaillab-lessons-'));
    await writeTree(root, {
      ...probeFiles,
      '01-ch/meta.md': '---\ntitle: Chapter\n---\n',
      '01-ch/01-l/lesson.md': '---\ntitle: L\nsummary: s\nprobes: [no-such-probe]\nstarterEscapes: []\n---\nText.\n',
      '01-ch/01-l/_files/jail.c': 'int main(void){return 1;}\n',
      '01-ch/01-l/_solution/jail.c': 'int main(void){return 0;}\n',
    });
    await expect(loadCourse(root)).rejects.toThrow(/01-l\/lesson\.md: probes: no probe "no-such-probe"/);
  });

  describe('a probe the solution leaves open (solutionEscapes)', () => {
    const lesson = (title: string, front: string) => `---\ntitle: ${title}\nsummary: s\nprobes: [cwd-outside]\nstarterEscapes: [cwd-outside]\n${front}---\nText.\n`;
    const programs = (dir: string) => ({ [`${dir}/_files/jail.c`]: 'int main(void){return 1;}\n', [`${dir}/_solution/jail.c`]: 'int main(void){return 0;}\n' });
    async function course(files: Record<string, string>) {
      const root = await mkdtemp(join(tmpdir(), 'jaillab-lessons-'));
      await writeTree(root, { ...probeFiles, '01-ch/meta.md': '---\ntitle: Chapter\n---\n', ...programs('01-ch/01-open'), ...programs('01-ch/02-closer'), ...files });
      return loadCourse(root);
    }

    it('links the check to the later lesson that closes it, for the learner to see', async () => {
      const c = await course({
        '01-ch/01-open/lesson.md': lesson('Open', 'solutionEscapes: [{probe: cwd-outside, closedIn: ch/closer}]\n'),
        '01-ch/02-closer/lesson.md': lesson('The closer', ''),
      });
      expect(c.lessons[0]!.checks[0]!.closedIn).toEqual({ lessonId: 'ch/closer', title: 'The closer' });
      expect(c.lessons[1]!.checks[0]!.closedIn).toBeUndefined();
    });

    it('refuses a closer that comes first, does not run the probe, or leaves it open too', async () => {
      const closerFirst = course({
        '01-ch/01-open/lesson.md': lesson('Open', ''),
        '01-ch/02-closer/lesson.md': lesson('Late', 'solutionEscapes: [{probe: cwd-outside, closedIn: ch/open}]\n'),
      });
      await expect(closerFirst).rejects.toThrow(/02-closer\/lesson\.md: solutionEscapes\.0\.closedIn: "ch\/open" does not come after this lesson/);
      const alsoOpen = course({
        '01-ch/01-open/lesson.md': lesson('Open', 'solutionEscapes: [{probe: cwd-outside, closedIn: ch/closer}]\n'),
        '01-ch/02-closer/lesson.md': lesson('The closer', 'solutionEscapes: [{probe: cwd-outside, closedIn: ch/open}]\n'),
      });
      await expect(alsoOpen).rejects.toThrow(/01-open\/lesson\.md: solutionEscapes\.0\.closedIn: "ch\/closer" lets "cwd-outside" escape its solution too/);
      const noSuch = course({
        '01-ch/01-open/lesson.md': lesson('Open', 'solutionEscapes: [{probe: read-data, closedIn: ch/nowhere}]\n'),
        '01-ch/02-closer/lesson.md': lesson('The closer', ''),
      });
      await expect(noSuch).rejects.toThrow(/solutionEscapes\.0\.probe: "read-data" is not one of this lesson's probes/);
    });

    it('refuses a closer that does not run the probe', async () => {
      const other = {
        'probes/other/probe.md': '---\ntitle: t\nkind: escape\nsummary: s\nsource: TLPI\n---\nExplained.\n',
        'probes/other/probe.c': 'int main(void){return 0;}\n',
      };
      const c = course({
        ...other,
        '01-ch/01-open/lesson.md': lesson('Open', 'solutionEscapes: [{probe: cwd-outside, closedIn: ch/closer}]\n'),
        '01-ch/02-closer/lesson.md': '---\ntitle: C\nsummary: s\nprobes: [other]\nstarterEscapes: [other]\n---\nText.\n',
      });
      await expect(c).rejects.toThrow(/solutionEscapes\.0\.closedIn: "ch\/closer" does not run "cwd-outside", so nothing proves it closes it/);
    });
  });
});
