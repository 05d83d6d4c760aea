import type { TraceStep, TraceWhere } from '@jaillab/protocol';
import { describe, expect, it } from 'vitest';
import { resultText, stepSentence, whereWords } from './step-words.js';

const where = (path: string, inside: boolean): TraceWhere => ({ path, inside, belowRoot: inside });
const fchdir: TraceStep = { i: 6, pid: 41, proc: 'probe', call: 'fchdir', args: ['3'], result: 0, errno: null, after: { cwd: where('/outside', false) } } as TraceStep;
const refused: TraceStep = { i: 2, pid: 40, proc: 'jailer', call: 'openat', args: ['AT_FDCWD', '"/x"', 'O_RDONLY'], result: -1, errno: 'ENOENT' } as TraceStep;

describe('replay steps in words', () => {
  it('says where a root or cwd is without the picture', () => {
    expect(whereWords(where('/jail', true))).toBe('inside the jail (/jail)');
    expect(whereWords(where('/outside', false))).toBe('outside the jail (/outside)');
    expect(whereWords(null)).toBe('not known');
  });

  it('gives a refused call its errno', () => {
    expect(resultText(refused)).toBe('-1 ENOENT');
    expect(resultText(fchdir)).toBe('0');
  });

  it('says the highlighted step whole: who, the call, the mark, where root and cwd are', () => {
    expect(stepSentence(fchdir, ['outside'], { root: where('/jail', true), cwd: where('/outside', false) })).toBe(
      'Step 7, probe 41: fchdir(3) = 0. First step outside the jail. cwd → /outside (outside). Root inside the jail (/jail), cwd outside the jail (/outside).',
    );
  });
});
