import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderWireSchemas } from '@jaillab/protocol';
import { WIRE_SCHEMA_DIR } from './wire-schema-dir.js';

/**
 * npm run protocol:schema: rewrites protocol/schema/*.json from the wire's zod schemas. It lives here, not in
 * protocol/, because writing files needs node:*, which protocol/ may not import (scripts/check-imports.mjs).
 */
await mkdir(WIRE_SCHEMA_DIR, { recursive: true });
for (const [file, text] of Object.entries(renderWireSchemas())) {
  await writeFile(join(WIRE_SCHEMA_DIR, file), text);
  console.log(`wrote protocol/schema/${file}`);
}
