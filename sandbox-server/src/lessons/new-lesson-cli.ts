import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/config.js';
import { loadCourse } from './load-lessons.js';
import { scaffoldLesson } from './scaffold-lesson.js';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { chapter: { type: 'string' } } });
const slug = positionals[0];
if (!slug) {
  console.error('usage: npm run lesson:new -- <slug> [--chapter NN-chapter]');
  process.exit(2);
}
const lessonsDir = loadConfig(process.env, {}).lessonsDir;
try {
  const dir = await scaffoldLesson(lessonsDir, slug, values.chapter);
  await loadCourse(lessonsDir); // the scaffold must load: prove it now rather than at the next server start
  console.log(`created ${relative(resolve(process.env.INIT_CWD ?? process.cwd()), dir)}; check it with npm run lessons:check`);
} catch (e) {
  console.error(`lesson:new: ${(e as Error).message}`);
  process.exit(1);
}
