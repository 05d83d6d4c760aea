import { cpSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCourse } from '../lessons/load-lessons.js';
import { lessonWithProbe, probeMarkdown, summaryOf, writeProbeFiles } from './probe-files.js';

const lessonsDir = new URL('../../../lessons/', import.meta.url).pathname;
const draft = {
  id: 'proc-root-link',
  title: 'The root link of PID 1',
  explanation: 'Follows /proc/1/root, which names the root of the VM\'s first process. A jail that mounts proc shows it.',
  source: '#include "probe.h"\nint main(int argc, char **argv) {\n  probe_start(argc, argv, "proc-root-link");\n  return probe_try_read("/proc/1/root", "/proc/1/root/outside/secret") ? 0 : 1;\n}\n',
};

describe('a probe kept from the probe editor', () => {
  it('takes the explanation\'s first sentence as its summary', () => {
    expect(summaryOf('Follows /proc/1/root. Then more.')).toBe('Follows /proc/1/root.');
    expect(summaryOf('No full stop here')).toBe('No full stop here');
    expect(summaryOf(`${'a'.repeat(300)}.`)).toHaveLength(200);
  });

  it('adds the probe to a lesson\'s lists and keeps the rest of lesson.md as written', () => {
    const md = '---\ntitle: A jail\n# a comment the author wrote\nprobes: [cwd-outside]\nstarterEscapes: [cwd-outside]\n---\n# Body\ntext\n';
    const out = lessonWithProbe(md, 'new-probe', true);
    expect(out).toContain('# a comment the author wrote');
    expect(out).toContain('probes: [ cwd-outside, new-probe ]');
    expect(out).toContain('starterEscapes: [ cwd-outside, new-probe ]');
    expect(out.endsWith('---\n# Body\ntext\n')).toBe(true);
    // Adding it again changes nothing; a starter that holds leaves starterEscapes alone.
    expect(lessonWithProbe(out, 'new-probe', true)).toBe(out);
    expect(lessonWithProbe(md, 'new-probe', false)).toContain('starterEscapes: [ cwd-outside ]\n');
  });

  it('writes files the loader accepts, and undoes them whole', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jaillab-keep-'));
    cpSync(lessonsDir, dir, { recursive: true });
    const course = await loadCourse(dir);
    const lesson = course.lessons.find((l) => l.id === 'first-jail/a-jail-that-leaks')!;
    const lessonMd = readFileSync(join(lesson.dir, 'lesson.md'), 'utf8');
    const kept = await writeProbeFiles(dir, draft, { dir: lesson.dir, starterFalls: false });
    expect(kept.files).toEqual(['probes/proc-root-link/probe.c', 'probes/proc-root-link/probe.md', `${lesson.dir.slice(dir.length + 1)}/lesson.md`]);
    expect(probeMarkdown(draft)).toBe(readFileSync(join(dir, 'probes/proc-root-link/probe.md'), 'utf8'));
    const again = await loadCourse(dir);
    expect(again.library.probes.get('proc-root-link')?.meta).toMatchObject({ title: draft.title, kind: 'escape' });
    expect(again.lessons.find((l) => l.id === lesson.id)!.checks.map((c) => c.probe.id)).toContain('proc-root-link');
    await kept.undo();
    expect(existsSync(join(dir, 'probes/proc-root-link'))).toBe(false);
    expect(readFileSync(join(lesson.dir, 'lesson.md'), 'utf8')).toBe(lessonMd);
  });
});
