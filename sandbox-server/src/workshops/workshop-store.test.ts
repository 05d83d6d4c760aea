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
