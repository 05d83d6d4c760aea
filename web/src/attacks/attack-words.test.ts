import { describe, expect, it } from 'vitest';
import { attackProgress, attackSentence } from './attack-words.js';

describe('a fired probe in words', () => {
  it('tells the student whether their jail held', () => {
    expect(attackSentence('Leaked fd', 'escaped')).toBe('Your instructor\'s probe “Leaked fd” broke out of your jail.');
    expect(attackSentence('Leaked fd', 'contained')).toBe('Your jail held against your instructor\'s probe “Leaked fd”.');
  });

  it('counts progress over the students it was fired at, not those without code', () => {
    expect(attackProgress([{ verdict: 'escaped' }, { verdict: 'pending' }, { verdict: 'no-code' }, { verdict: 'error' }])).toEqual({ done: 2, total: 3 });
  });
});
