import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store } from '../store/store.js';
import { isBusyError, retryWhenBusy } from '../runs/retry-busy.js';

/**
 * SQLite busy or locked: another process (an instructor's CLI, a backup)
 * holds the database's write lock. Short holds are waited out (busy_timeout);
 * longer ones make a run's result retry until it is recorded. The lock is
 * held by a real second process: in one process the wait would block the
 * very event loop that has to let go of the lock.
 */
const serverDir = fileURLToPath(new URL('../..', import.meta.url));
let dataDir: string;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'jaillab-busy-'));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

/** Another process takes the write lock, says so, and keeps it for `ms`. */
async function holdWriteLock(dbPath: string, ms: number): Promise<{ released: Promise<void> }> {
  const script = `const D = require('better-sqlite3'); const db = new D(${JSON.stringify(dbPath)}); db.exec('BEGIN IMMEDIATE');
    process.stdout.write('locked\\n'); setTimeout(() => { db.exec('COMMIT'); db.close(); }, ${ms});`;
  const child = spawn(process.execPath, ['-e', script], { cwd: serverDir, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`lock holder exited early (${code})`)));
  });
  return { released: new Promise((resolve) => child.once('exit', () => resolve())) };
}

describe('SQLite busy or locked', () => {
  it('a write lock held for a second is waited out, and the write lands', async () => {
    const store = new Store(dataDir);
    const holder = await holdWriteLock(join(dataDir, 'jaillab.sqlite'), 1000);
    // The lock is really held: a writer that does not wait is refused. The store's write, which waits, lands.
    const impatient = new Database(join(dataDir, 'jaillab.sqlite'));
    impatient.pragma('busy_timeout = 0');
    expect(() => impatient.exec('BEGIN IMMEDIATE')).toThrow(expect.objectContaining({ code: 'SQLITE_BUSY' }));
    impatient.close();
    const { learner, token } = store.createLearner();
    expect(store.findLearner(token)?.id).toBe(learner.id);
    await holder.released;
    store.close();
  });

  it('a lock held longer than the wait makes the write fail busy, and the retry records it', async () => {
    const dbPath = join(dataDir, 'jaillab.sqlite');
    new Store(dataDir).close(); // schema in place
    const db = new Database(dbPath);
    db.pragma('busy_timeout = 50'); // a short wait, so the lock outlasts it as a long one outlasts the server's
    const holder = await holdWriteLock(dbPath, 800);
    const retries: string[] = [];
    const insert = () => db.prepare("INSERT INTO learners (id, token_hash, created_at, last_seen_at) VALUES ('l_x', 'h', 'now', 'now')").run();
    expect(() => insert()).toThrow(expect.objectContaining({ code: 'SQLITE_BUSY' }));
    await retryWhenBusy(insert, { attempts: 8, firstDelayMs: 100, onRetry: (n, e) => retries.push(`${n}: ${(e as Error & { code: string }).code}`) });
    expect(retries.length).toBeGreaterThan(0);
    expect(retries[0]).toMatch(/SQLITE_BUSY/);
    expect(db.prepare("SELECT id FROM learners WHERE id = 'l_x'").get()).toEqual({ id: 'l_x' });
    await holder.released;
    db.close();
  });

  it('gives up on errors that are not busy at once, and on busy after its attempts', async () => {
    let calls = 0;
    await expect(retryWhenBusy(() => { calls++; throw Object.assign(new Error('no such table'), { code: 'SQLITE_ERROR' }); })).rejects.toThrow('no such table');
    expect(calls).toBe(1);
    calls = 0;
    await expect(retryWhenBusy(() => { calls++; throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }); }, { attempts: 3, firstDelayMs: 1 })).rejects.toThrow('locked');
    expect(calls).toBe(3);
    expect(isBusyError(Object.assign(new Error(), { code: 'SQLITE_LOCKED_SHAREDCACHE' }))).toBe(true);
  });
});
