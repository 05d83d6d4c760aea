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
});
