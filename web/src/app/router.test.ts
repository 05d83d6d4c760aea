import { describe, expect, it } from 'vitest';
import { lessonIdFromPath, lessonPath } from './router.js';

describe('routes', () => {
  it('reads lesson ids with slashes from the path', () => {
    expect(lessonIdFromPath('/lessons/first-jail/a-jail-that-leaks')).toBe('first-jail/a-jail-that-leaks');
    expect(lessonIdFromPath('/lessons/first-jail/a-jail-that-leaks/')).toBe('first-jail/a-jail-that-leaks');
    expect(lessonIdFromPath('/')).toBeNull();
    expect(lessonIdFromPath('/lessons/')).toBeNull();
  });

  it('round-trips', () => {
    expect(lessonIdFromPath(lessonPath('a/b'))).toBe('a/b');
  });
});
