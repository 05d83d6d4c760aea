import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LESSONS_DIR } from '../../test/lesson-sources.js';
import { renderJsonSchemas } from './json-schema.js';

describe('the JSON Schemas for editors', () => {
  it.each(Object.entries(renderJsonSchemas()))('lessons/schema/%s is up to date (npm run lessons:schema)', async (file, text) => {
    expect(await readFile(join(LESSONS_DIR, 'schema', file), 'utf8')).toBe(text);
  });

  it('documents the fields with the schema\'s own descriptions', () => {
    const lesson = JSON.parse(renderJsonSchemas()['lesson.schema.json']!) as { properties: Record<string, { description?: string }>; required: string[] };
    expect(lesson.properties.starterEscapes?.description).toMatch(/lessons:check/);
    expect(lesson.required).toEqual(expect.arrayContaining(['title', 'summary', 'starterEscapes']));
  });
});
