import { fileURLToPath } from 'node:url';

/** Where the wire protocol's JSON Schemas are kept (protocol/src/wire-schema.ts says why there). */
export const WIRE_SCHEMA_DIR = fileURLToPath(new URL('../../../protocol/schema', import.meta.url));
