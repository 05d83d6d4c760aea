import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const LESSONS_DIR = fileURLToPath(new URL('../../lessons', import.meta.url));
export const FIRST_LESSON = 'first-jail/a-jail-that-leaks';
const FIRST_LESSON_DIR = join(LESSONS_DIR, '01-first-jail', '01-a-jail-that-leaks');

export const firstStarter = (): string => readFileSync(join(FIRST_LESSON_DIR, '_files', 'jail.c'), 'utf8');
export const firstSolution = (): string => readFileSync(join(FIRST_LESSON_DIR, '_solution', 'jail.c'), 'utf8');

/** A jail program that behaves well, then does `body` instead of exec'ing the probe. */
export function programThat(body: string, includes = ''): string {
  return `#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/types.h>
#include <sys/wait.h>
${includes}
int main(int argc, char *argv[]) {
  (void)argc; (void)argv;
  ${body}
  return 0;
}
`;
}
