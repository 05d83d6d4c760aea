import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LESSONS_DIR } from '../../test/lesson-sources.js';
import { renderJsonSchemas } from './json-schema.js';

/** npm run lessons:schema: rewrites lessons/schema/*.json from the zod schemas. */
const dir = join(LESSONS_DIR, 'schema');
await mkdir(dir, { recursive: true });
for (const [file, text] of Object.entries(renderJsonSchemas())) {
  await writeFile(join(dir, file), text);
  console.log(`wrote lessons/schema/${file}`);
}
