import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderWireSchemas } from '@jaillab/protocol';
import { describe, expect, it } from 'vitest';
import { WIRE_SCHEMA_DIR } from './wire-schema-dir.js';

describe('the wire protocol\'s JSON Schemas', () => {
  it.each(Object.entries(renderWireSchemas()))('protocol/schema/%s is up to date (npm run protocol:schema)', async (file, text) => {
    expect(await readFile(join(WIRE_SCHEMA_DIR, file), 'utf8')).toBe(text);
  });
});
