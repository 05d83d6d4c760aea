import { ChapterFrontMatter, LessonFrontMatter, ProbeFrontMatter } from '@jaillab/protocol';
import { z } from 'zod';

/**
 * JSON Schemas of the front matter, generated from the zod schemas the loader
 * validates with, for editors (YAML language servers read them). They live in
 * lessons/schema/; a test fails when they are stale (`npm run lessons:schema`).
 */
export const SCHEMA_FILES: Record<string, z.ZodType> = {
  'lesson.schema.json': LessonFrontMatter,
  'chapter.schema.json': ChapterFrontMatter,
  'probe.schema.json': ProbeFrontMatter,
};

export function renderJsonSchemas(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [file, schema] of Object.entries(SCHEMA_FILES))
    out[file] = JSON.stringify(z.toJSONSchema(schema, { io: 'input', target: 'draft-2020-12' }), null, 2) + '\n';
  return out;
}
