import { z } from 'zod';
import { MAX_SOURCE_BYTES } from './limits.js';

/** UTF-8 length without TextEncoder, which this package's no-DOM, no-node typing does not have. */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** Marks the issue of an oversized source, wherever in a message the source sits (a run's, a save's, a shell's). */
export const SOURCE_TOO_LARGE = 'sourceTooLarge';

export const Source = z
  .string()
  .refine((s) => utf8Length(s) <= MAX_SOURCE_BYTES, {
    message: `the source is larger than ${MAX_SOURCE_BYTES / 1024} KiB`,
    params: { [SOURCE_TOO_LARGE]: true },
  });

/** True for the issue Source reports when a source is over the size limit. */
export function isSourceTooLargeIssue(issue: { code: string; params?: Record<string, unknown> } | undefined): boolean {
  return issue?.code === 'custom' && issue.params?.[SOURCE_TOO_LARGE] === true;
}
