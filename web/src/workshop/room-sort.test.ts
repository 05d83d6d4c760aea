import type { Dashboard } from '@jaillab/protocol';
import { describe, expect, it } from 'vitest';
import { sortMembers } from './room-sort.js';

const dashboard = {
  members: [
    { learnerId: 'a', name: 'zoe', joinedAt: '1', online: true, lastLessonId: null },
    { learnerId: 'b', name: 'Adam', joinedAt: '2', online: true, lastLessonId: null },
    { learnerId: 'c', name: 'Student 10', joinedAt: '3', online: false, lastLessonId: null },
    { learnerId: 'd', name: 'Student 9', joinedAt: '4', online: false, lastLessonId: null },
  ],
  cells: [
    { learnerId: 'a', lessonId: 'x', status: 'in-progress', contained: 1, total: 2, runs: 1, withSolution: false },
    { learnerId: 'b', lessonId: 'x', status: 'passed', contained: 2, total: 2, runs: 3, withSolution: false },
    { learnerId: 'c', lessonId: 'x', status: 'stuck', contained: 0, total: 2, runs: 4, withSolution: false },
  ],
} as unknown as Dashboard;

describe('sorting the room', () => {
  it('by progress: passed lessons first, then probes contained, then name', () => {
    expect(sortMembers(dashboard, 'progress').map((m) => m.name)).toEqual(['Adam', 'zoe', 'Student 9', 'Student 10']);
  });
  it('by name, ignoring case and reading numbers as numbers', () => {
    expect(sortMembers(dashboard, 'name').map((m) => m.name)).toEqual(['Adam', 'Student 9', 'Student 10', 'zoe']);
  });
});
