import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store } from '../store/store.js';
import { WorkshopStore } from './workshop-store.js';

let dir: string;
let store: Store;
let workshops: WorkshopStore;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'jaillab-workshops-'));
  store = new Store(dir);
  workshops = new WorkshopStore(store.database, Buffer.alloc(32, 7));
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('workshop members', () => {
  it('join by name; the same name with its key is the same student from another browser; without it, taken', () => {
    const w = workshops.create('Jails', ['a/one'], null);
    expect(w.code).toMatch(/^[2-9A-HJKMNP-Z]{6}$/);
    const ada = store.createLearner().learner.id;
    const first = workshops.join(w.id, ada, 'Ada', undefined);
    if (typeof first === 'string' || 'refused' in first) throw new Error('taken');
    const otherBrowser = store.createLearner().learner.id;
    expect(workshops.join(w.id, otherBrowser, ' ada ', undefined)).toBe('name-taken');
    const again = workshops.join(w.id, otherBrowser, 'Ada', first.memberKey);
    if (typeof again === 'string' || 'refused' in again) throw new Error('taken');
    expect(again.member.learnerId).toBe(ada);
    expect(workshops.members(w.id).map((m) => m.name)).toEqual(['Ada']);
  });

  it('a student who leaves frees the name, keeps their work, and is in no workshop', () => {
    const w = workshops.create('Jails', ['a/one'], null);
    const bob = store.createLearner().learner.id;
    workshops.join(w.id, bob, 'Bob', undefined);
    store.saveCode(bob, 'a/one', 'int main;');
    expect(workshops.membershipOf(bob)?.member.name).toBe('Bob');
    expect(workshops.remove(w.id, bob, 'left')).toBe(true);
    expect(workshops.membershipOf(bob)).toBeNull();
    expect(store.code(bob, 'a/one')?.source).toBe('int main;');
    const someoneElse = store.createLearner().learner.id;
    expect(workshops.join(w.id, someoneElse, 'Bob', undefined)).not.toBe('name-taken');
  });

  it('keeps lessons open or locked, broadcasts in order, and its end', () => {
    const w = workshops.create('Jails', ['a/one', 'a/two'], '2026-12-01T12:00:00Z');
    workshops.setLessons(w.id, [{ id: 'a/one', open: true }, { id: 'a/two', open: false }]);
    workshops.broadcast(w.id, 'first');
    workshops.broadcast(w.id, 'second');
    workshops.end(w.id);
    const again = workshops.get(w.id)!;
    expect(again.lessons).toEqual([{ id: 'a/one', open: true }, { id: 'a/two', open: false }]);
    expect(workshops.broadcasts(w.id).map((b) => b.message)).toEqual(['first', 'second']);
    expect(again.endedAt).not.toBeNull();
    expect(workshops.active().map((a) => a.id)).not.toContain(w.id);
  });
});

describe('issue 25 #3: names that look the same are the same member', () => {
  it('with "Bob" in the room, look-alikes, invisible characters, full-width and decomposed forms are taken', () => {
    const w = workshops.create('Jails', ['a/one'], null);
    workshops.join(w.id, store.createLearner().learner.id, 'Bob', undefined);
    workshops.join(w.id, store.createLearner().learner.id, 'Jos\u00E9', undefined);
    for (const name of ['B\u043Eb', 'Bob\u200B', 'Bob\u2060', '\uFF22\uFF4F\uFF42', 'B0b', '\u202EBob', 'Bo\u0000b', 'Jose\u0301'])
      expect(workshops.join(w.id, store.createLearner().learner.id, name, undefined), JSON.stringify(name)).toBe('name-taken');
    expect(workshops.join(w.id, store.createLearner().learner.id, 'Rob', undefined)).toMatchObject({ member: { name: 'Rob' } });
  });

  it('control and format characters never reach the dashboard or the export', () => {
    const w = workshops.create('Jails', ['a/one'], null);
    workshops.join(w.id, store.createLearner().learner.id, 'E\u0000v\u001B[31me\u0007\u202E\u200D', undefined);
    expect(workshops.members(w.id).map((m) => m.name)).toEqual(['Ev[31me']);
  });
});

describe('issue 25 #6: a run made outside the room never shows on its dashboard', () => {
  it('a student who leaves, runs and rejoins has only their runs from inside the room counted', () => {
    const w = workshops.create('Jails', ['a/one', 'a/two'], null);
    const bob = store.createLearner().learner.id;
    const run = (id: string, lessonId: string): void => {
      store.recordRun({ id, learnerId: bob, lessonId, sourceSha256: 'x', createdAt: new Date().toISOString() });
      store.finishRun(id, { outcome: 'passed', accelerator: 'tcg', verdicts: [] });
    };
    workshops.join(w.id, bob, 'Bob', undefined);
    run('r_in', 'a/one');
    workshops.remove(w.id, bob, 'left');
    run('r_out', 'a/two');
    workshops.join(w.id, bob, 'Bob', undefined);
    expect(workshops.runs(w.id).map((r) => r.lessonId)).toEqual(['a/one']);
  });
});

describe('issue 25 #7: member keys at rest', () => {
  it('are HMACs under the server secret: the database alone does not test a key; old SHA-256 rows still match and are upgraded', () => {
    const w = workshops.create('Jails', ['a/one'], null);
    const ada = store.createLearner().learner.id;
    const first = workshops.join(w.id, ada, 'Ada', undefined) as { memberKey: string };
    const stored = (): string => (store.database.prepare('SELECT key_hash FROM workshop_members WHERE learner_id = ?').get(ada) as { key_hash: string }).key_hash;
    const sha = createHash('sha256').update(first.memberKey).digest('hex');
    expect(stored()).toMatch(/^hmac1:[0-9a-f]{64}$/);
    expect(stored()).not.toContain(sha);
    // Under another server's secret the same database says nothing about the key.
    const elsewhere = new WorkshopStore(store.database, Buffer.alloc(32, 8));
    expect(elsewhere.join(w.id, store.createLearner().learner.id, 'Ada', first.memberKey)).toBe('name-taken');
    // A row from before: bare SHA-256. The key still works, once, and is stored anew.
    store.database.prepare('UPDATE workshop_members SET key_hash = ? WHERE learner_id = ?').run(sha, ada);
    expect(workshops.join(w.id, store.createLearner().learner.id, 'Ada', first.memberKey)).toMatchObject({ member: { learnerId: ada } });
    expect(stored()).toMatch(/^hmac1:/);
  });
});
