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

describe('routes', () => {
  it('knows the workshop pages; an unknown path is not found, not lesson 1', async () => {
    const { routeOf } = await import('./router.js');
    expect(routeOf('/join')).toEqual({ page: 'join', code: null });
    expect(routeOf('/join/ABC234')).toEqual({ page: 'join', code: 'ABC234' });
    expect(routeOf('/instructor')).toEqual({ page: 'instructor' });
    expect(routeOf('/instructor/probes')).toEqual({ page: 'probes' });
    expect(routeOf('/workshops/w_abcdef12')).toEqual({ page: 'workshop', workshopId: 'w_abcdef12' });
    expect(routeOf('/lessons/first-jail/a-jail-that-leaks')).toEqual({ page: 'lesson', lessonId: 'first-jail/a-jail-that-leaks' });
    expect(routeOf('/dashboard')).toEqual({ page: 'instructor' });
    expect(routeOf('/workshop')).toEqual({ page: 'instructor' });
    expect(routeOf('/')).toEqual({ page: 'home' });
    expect(routeOf('/no/such/page')).toEqual({ page: 'not-found' });
  });
});
