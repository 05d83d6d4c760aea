/**
 * Mistakes in lesson content are hard errors, never silent skips: every problem
 * found is collected with the file (and field) it is in, and loading fails
 * with all of them listed.
 */
export class ContentError extends Error {
  constructor(readonly problems: string[]) {
    super(`lesson content has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

export class Problems {
  readonly list: string[] = [];
  add(file: string, message: string): void {
    this.list.push(`${file}: ${message}`);
  }
  throwIfAny(): void {
    if (this.list.length) throw new ContentError(this.list);
  }
}
