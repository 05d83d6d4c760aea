import { parse } from 'yaml';
import type { z } from 'zod';
import type { Problems } from './content-error.js';

/** Splits `---\nyaml\n---\nmarkdown` and validates the YAML with a schema, reporting problems by file and field. */
export function parseFrontMatter<S extends z.ZodType>(
  text: string,
  schema: S,
  file: string,
  problems: Problems,
): { data: z.infer<S> | null; body: string } {
  const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(text);
  if (!m) {
    problems.add(file, 'must start with front matter between two "---" lines');
    return { data: null, body: text };
  }
  let raw: unknown;
  try {
    raw = parse(m[1] ?? '', { prettyErrors: true, uniqueKeys: true });
  } catch (e) {
    problems.add(file, `front matter is not valid YAML: ${(e as Error).message.split('\n')[0]}`);
    return { data: null, body: m[2] ?? '' };
  }
  const result = schema.safeParse(raw ?? {});
  if (!result.success) {
    for (const issue of result.error.issues) problems.add(file, `${issue.path.length ? issue.path.join('.') : 'front matter'}: ${issue.message}`);
    return { data: null, body: m[2] ?? '' };
  }
  return { data: result.data, body: m[2] ?? '' };
}
