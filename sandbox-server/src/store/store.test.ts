import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { prepareDataDir } from '../config/data-dir.js';
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

describe('issue 25 #7: data at rest', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'jaillab-at-rest-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('150 connect/hello/close cycles leave no learner behind once they are old; learners with work stay', () => {
    const store = new Store(dir);
    const made = Array.from({ length: 150 }, () => store.createLearner().learner.id);
    store.saveCode(made[0]!, 'a/b', 'int main;', 1);
    store.recordRun({ id: 'r_kept', learnerId: made[1]!, lessonId: 'a/b', sourceSha256: 'x', createdAt: new Date().toISOString() });
    const token = store.issueToken(made[2]!); // a second browser, and nothing else: forgotten with its learner
    expect(store.pruneEmptyLearners(new Date(Date.now() - 3600_000))).toBe(0); // not old enough yet
    expect(store.pruneEmptyLearners(new Date(Date.now() + 1000))).toBe(148);
    expect(store.learnerCount()).toBe(2);
    expect(store.findLearner(token)).toBeNull();
    store.close();
  });

  it('the data directory is the server user\'s alone (0700), the database and its WAL 0600', () => {
    chmodSync(dir, 0o755);
    prepareDataDir(dir);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const store = new Store(dir);
    store.createLearner();
    store.close();
    const reopened = new Store(dir);
    for (const f of readdirSync(dir).filter((f) => f.startsWith('jaillab.sqlite'))) expect(statSync(join(dir, f)).mode & 0o777, f).toBe(0o600);
    reopened.close();
  });
});
