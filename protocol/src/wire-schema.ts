import { z } from 'zod';
import { RunEvent } from './run-events.js';
import { ClientMessage, ServerMessage } from './socket-messages.js';

/**
 * JSON Schemas of the wire protocol, generated from the zod schemas both ends parse with, so their .describe()
 * texts are the protocol's reference for anyone writing another client (or reading a capture). Rendering is here,
 * beside the schemas and free of node:*; writing the files is `npm run protocol:schema`
 * (sandbox-server/src/wire-schema-cli.ts), and a test there fails when they are stale. They live in
 * protocol/schema/ rather than docs/: they are this package's output, next to what they are generated from, as
 * lessons/schema/ is next to the lessons.
 */
export const WIRE_SCHEMA_FILES: Record<string, z.ZodType> = {
  'client-message.schema.json': ClientMessage,
  'server-message.schema.json': ServerMessage,
  'run-event.schema.json': RunEvent,
};

/** The JSON Schema of one wire schema: what a receiver accepts (zod's input side, as for the lesson schemas). */
export function wireJsonSchema(schema: z.ZodType): Record<string, unknown> {
  return z.toJSONSchema(schema, { io: 'input', target: 'draft-2020-12' }) as Record<string, unknown>;
}

export function renderWireSchemas(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [file, schema] of Object.entries(WIRE_SCHEMA_FILES)) out[file] = JSON.stringify(wireJsonSchema(schema), null, 2) + '\n';
  return out;
}
