import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Reads a lesson's authored files straight from lessons/, the same files the server loads. */
const lessonsDir = new URL('../../lessons/', import.meta.url).pathname;

export function lessonFile(lessonFolder: string, relativePath: string): string {
  return readFileSync(join(lessonsDir, lessonFolder, relativePath), 'utf8');
}
