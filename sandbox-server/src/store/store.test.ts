import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store } from './store.js';

describe('the workspace store (real SQLite in a temp dir)', () => {
  let dir: string;
  let store: Store;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'jaillab-store-'));
    store = new Store(dir);
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the newest edit when two tabs save out of order', () => {
    const { learner } = store.createLearner();
    expect(store.saveCode(learner.id, 'a/b', 'newer', 2000)).toBe(true);
    expect(store.saveCode(learner.id, 'a/b', 'older', 1000)).toBe(false);
    expect(store.code(learner.id, 'a/b')).toEqual({ source: 'newer', editedAt: 2000 });
  });

  it('keeps one learner out of another learner\'s code and progress', () => {
    const a = store.createLearner().learner;
    const b = store.createLearner().learner;
    store.saveCode(a.id, 'a/b', 'mine', 1);
    expect(store.code(b.id, 'a/b')).toBeNull();
    expect(store.progress(b.id)).toEqual({});
    store.recordRun({ id: 'r_aaaaaaaaaaaa', learnerId: a.id, lessonId: 'a/b', sourceSha256: 'x', createdAt: new Date().toISOString() });
    expect(store.runOutcome(b.id, 'r_aaaaaaaaaaaa')).toBeNull();
  });

  it('derives progress from runs: in progress, then passed, and a later failure does not undo a pass', () => {
    const { learner } = store.createLearner();
    const run = (id: string, outcome: string) => {
      store.recordRun({ id, learnerId: learner.id, lessonId: 'c/d', sourceSha256: 'x', createdAt: new Date().toISOString() });
      store.finishRun(id, { outcome, accelerator: 'tcg', verdicts: [] });
    };
    store.saveCode(learner.id, 'a/b', 'x', 1);
    run('r_000000001', 'failed');
    expect(store.progress(learner.id)).toEqual({ 'a/b': 'in-progress', 'c/d': 'in-progress' });
    run('r_000000002', 'passed');
    run('r_000000003', 'failed');
    expect(store.progress(learner.id)['c/d']).toBe('passed');
    expect(store.lastRun(learner.id, 'c/d')?.runId).toBe('r_000000003');
  });

  it('marks a run cut off by a restart as interrupted, visible after reopening', () => {
    const { learner } = store.createLearner();
    store.recordRun({ id: 'r_000000009', learnerId: learner.id, lessonId: 'a/b', sourceSha256: 'x', createdAt: new Date().toISOString() });
    store.close();
    store = new Store(dir);
    expect(store.markUnfinishedRunsInterrupted()).toBe(1);
    expect(store.runOutcome(learner.id, 'r_000000009')).toEqual({ outcome: 'interrupted' });
  });

  it('records revealed hints once each', () => {
    const { learner } = store.createLearner();
    expect(store.hintsRevealed(learner.id, 'a/b')).toEqual([]);
    store.revealHint(learner.id, 'a/b', 2);
    store.revealHint(learner.id, 'a/b', 0);
    store.revealHint(learner.id, 'a/b', 0);
    expect(store.hintsRevealed(learner.id, 'a/b')).toEqual([0, 2]);
  });
});
