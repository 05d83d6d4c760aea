import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeOutputFrame, MAX_SOURCE_BYTES, type RunOutcome, type ServerMessage } from '@jaillab/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIRST_LESSON } from '../../test/lesson-sources.js';
import type { RoomAttacks } from '../attacks/room-attacks.js';
import type { ProbeAuthoring } from '../authoring/probe-authoring.js';
import type { BreakItRounds } from '../rounds/break-it-rounds.js';
import { loadConfig } from '../config/config.js';
import { LessonCatalog } from '../lessons/lesson-catalog.js';
import type { Run } from '../runs/run.js';
import { RunLog } from '../runs/run-log.js';
import type { RunService } from '../runs/run-service.js';
import type { ShellService } from '../shell/shell-service.js';
import { Store } from '../store/store.js';
import { WorkshopService } from '../workshops/workshop-service.js';
import { RunRateLimits } from './run-rate-limits.js';
import type { SessionDeps } from './session-context.js';
import { SocketSession } from './session.js';
import { DoorPasses } from './door-pass.js';
import { IdentityLimits } from './identity-limits.js';
import { FakeSocket } from '../../test/fake-socket.js';

/**
 * The socket protocol without a VM: a stand-in socket, the real store, lessons
 * and limits, and a run service that hands out runs whose logs the test
 * writes. What runs do in VMs is covered by the *.vm.test.ts files.
 */

const LESSON = 'first-jail/a-jail-that-leaks';
const INSTRUCTOR = 'session-test-instructor-token-01';

class FakeRun {
  readonly log = new RunLog();
  outcome: RunOutcome | null = null;
  constructor(
    readonly id: string,
    readonly learnerId: string,
  ) {}
}

let dataDir: string;
let store: Store;
let catalog: LessonCatalog;
let workshops: WorkshopService;
const started: FakeRun[] = [];

function newSession(): FakeSocket {
  const ws = new FakeSocket();
  const runs = {
    start: (learnerId: string) => {
      const run = new FakeRun(`r_fake${started.length.toString().padStart(6, '0')}`, learnerId);
      started.push(run);
      return run as unknown as Run;
    },
    get: (id: string) => started.find((r) => r.id === id) as unknown as Run | undefined,
    cancel: () => {},
  } as unknown as RunService;
  const deps: SessionDeps = {
    store,
    runs,
    catalog,
    executor: { capacity: () => ({ accelerator: 'tcg', slots: 1, ready: 1, starting: 0, inUse: 0, queued: 0, runners: [] }) },
    instructorToken: INSTRUCTOR,
    shells: {} as ShellService,
    attacks: {} as RoomAttacks,
    authoring: {} as ProbeAuthoring,
    rounds: { inOpenRound: () => false } as unknown as BreakItRounds,
    runLimits: new RunRateLimits(),
    workshops,
    identityLimits: new IdentityLimits(),
    doorPasses: new DoorPasses(Buffer.alloc(32, 1)),
    log: () => {},
  };
  new SocketSession(ws as never, deps, '127.0.0.1');
  return ws;
}

function hello(ws: FakeSocket): string {
  ws.say({ type: 'hello' });
  const welcome = ws.last();
  if (welcome.type !== 'welcome') throw new Error(`no welcome: ${JSON.stringify(welcome)}`);
  return welcome.learnerId;
}

const pumped = (): Promise<void> => new Promise((r) => setImmediate(r));

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'jaillab-session-test-'));
  store = new Store(dataDir);
  catalog = await LessonCatalog.load(loadConfig().lessonsDir);
  workshops = new WorkshopService({ store, catalog, log: () => {}, secret: Buffer.alloc(32, 1), capacity: { stats: () => ({ accelerator: 'tcg', ready: 0, starting: 0, inUse: 0, queued: 0, slots: 1, runners: [] }), warmFor: () => {} } });
});
afterAll(() => {
  workshops.close();
  store.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a socket session, before hello', () => {
  it('answers anything but hello with not-hello, and garbage with bad-message', () => {
    const ws = newSession();
    ws.say({ type: 'progress-get', requestId: 'p' });
    expect(ws.last()).toMatchObject({ type: 'error', code: 'not-hello' });
    ws.say('{not json');
    expect(ws.last()).toMatchObject({ type: 'error', code: 'bad-message', message: 'not valid JSON' });
    ws.emit('message', Buffer.from([1, 2, 3]), true);
    expect(ws.last()).toMatchObject({ type: 'error', code: 'bad-message' });
    ws.say({ type: 'run', requestId: 'r1', lessonId: 'NOT A LESSON', source: '' });
    expect(ws.last()).toMatchObject({ type: 'error', code: 'bad-message', requestId: 'r1' });
  });

  it('refuses a wrong instructor token, and a second hello', () => {
    const ws = newSession();
    ws.say({ type: 'hello', instructorToken: 'x'.repeat(32) });
    expect(ws.last()).toMatchObject({ type: 'error', code: 'forbidden' });
    ws.say({ type: 'hello', instructorToken: INSTRUCTOR });
    expect(ws.last()).toMatchObject({ type: 'welcome', instructor: true });
    ws.say({ type: 'hello' });
    expect(ws.last()).toMatchObject({ type: 'error', code: 'bad-message' });
  });
});

describe('the probe editor and room attacks, from a learner\'s socket', () => {
  it('are refused without the instructor token, and another learner\'s fired run is not theirs to read', async () => {
    const ws = newSession();
    hello(ws);
    const draft = { id: 'mine', title: 'Mine', explanation: 'Tries a thing.', source: 'int main(void) { return 0; }' };
    const refused = [
      { type: 'probe-library-get', requestId: 'a' },
      { type: 'probe-compile', requestId: 'b', source: 'int main(void) { return 0; }' },
      { type: 'probe-keep', requestId: 'c', draft },
      { type: 'lesson-check', requestId: 'd', lessonId: FIRST_LESSON },
      { type: 'attack-fire', requestId: 'e', workshopId: 'w_abcdefgh', lessonId: FIRST_LESSON, probe: { draft }, code: 'latest', showSource: true },
      { type: 'attack-show-source', requestId: 'f', workshopId: 'w_abcdefgh', attackId: 'a_abcdefghij', show: true },
      { type: 'attack-record-get', requestId: 'g', attackId: 'a_abcdefghij', learnerId: 'l_someone_else' },
    ];
    for (const msg of refused) {
      ws.say(msg);
      await pumped();
      expect(ws.last()).toMatchObject({ type: 'error', code: 'forbidden', requestId: msg.requestId });
    }
    // Their own result of a probe never fired at them: nothing, not an error.
    ws.say({ type: 'attack-record-get', requestId: 'h', attackId: 'a_abcdefghij' });
    expect(ws.last()).toMatchObject({ type: 'run-record', requestId: 'h', record: null });
  });
});

describe('a socket session, after hello', () => {
  const big = 'x'.repeat(MAX_SOURCE_BYTES + 1);

  it('calls an oversized source source-too-large wherever it is: a run, a save, a shell', () => {
    const ws = newSession();
    hello(ws);
    ws.say({ type: 'run', requestId: 'r2', lessonId: LESSON, source: big });
    expect(ws.last()).toMatchObject({ type: 'error', code: 'source-too-large', requestId: 'r2' });
    ws.say({ type: 'code-save', lessonId: LESSON, code: { source: big, editedAt: Date.now() } });
    expect(ws.last()).toMatchObject({ type: 'error', code: 'source-too-large' });
    ws.say({ type: 'shell-open', requestId: 's1', lessonId: LESSON, source: big, cols: 80, rows: 24 });
    expect(ws.last()).toMatchObject({ type: 'error', code: 'source-too-large', requestId: 's1' });
    // And a bad field that is not a source stays a bad message.
    ws.say({ type: 'code-save', lessonId: LESSON, code: { source: 'int main;', editedAt: -1 } });
    expect(ws.last()).toMatchObject({ type: 'error', code: 'bad-message' });
  });

  it('saves code and reads it back through the handler table', () => {
    const ws = newSession();
    hello(ws);
    ws.say({ type: 'code-save', lessonId: LESSON, code: { source: 'int main(void) { return 0; }', editedAt: 1000 } });
    expect(ws.last()).toMatchObject({ type: 'code-saved', lessonId: LESSON, editedAt: 1000 });
    ws.say({ type: 'lesson-state-get', requestId: 'g', lessonId: LESSON });
    expect(ws.last()).toMatchObject({ type: 'lesson-state', requestId: 'g', code: { source: 'int main(void) { return 0; }', editedAt: 1000 } });
    ws.say({ type: 'lesson-state-get', requestId: 'g2', lessonId: 'no/such-lesson' });
    expect(ws.last()).toMatchObject({ type: 'error', code: 'unknown-lesson', requestId: 'g2' });
  });

  it('streams a run: events as messages, one check\'s chunks merged into a frame, progress at the end', async () => {
    const ws = newSession();
    const learnerId = hello(ws);
    ws.say({ type: 'run', requestId: 'r', lessonId: LESSON, source: 'int main(void) { return 0; }' });
    const accepted = ws.last();
    expect(accepted).toMatchObject({ type: 'run-accepted', requestId: 'r' });
    const run = started.at(-1)!;
    expect(run.learnerId).toBe(learnerId);
    run.log.append({ type: 'compile-started' });
    for (let i = 0; i < 10; i++) run.log.appendOutput(0, Buffer.from(`line ${i}\n`));
    run.log.appendOutput(1, Buffer.from('next check\n'));
    await pumped();
    expect(ws.texts.filter((m) => m.type === 'run-event')).toHaveLength(1);
    expect(ws.frames.map((f) => decodeOutputFrame(f)!).map((f) => [f.checkIndex, Buffer.from(f.data).toString()])).toEqual([
      [0, Array.from({ length: 10 }, (_, i) => `line ${i}\n`).join('')],
      [1, 'next check\n'],
    ]);
    run.outcome = 'failed';
    run.log.append({ type: 'finished', outcome: 'failed', message: 'x', accelerator: 'tcg', durationMs: 1 });
    await pumped();
    expect(ws.last()).toMatchObject({ type: 'progress' });
  });

  it('does not show one learner\'s run to another', () => {
    const owner = newSession();
    hello(owner);
    owner.say({ type: 'run', requestId: 'r', lessonId: LESSON, source: '' });
    const runId = (owner.last() as { runId: string }).runId;
    const stranger = newSession();
    hello(stranger);
    stranger.say({ type: 'watch', requestId: 'w', runId });
    expect(stranger.last()).toMatchObject({ type: 'error', code: 'unknown-run', requestId: 'w' });
  });

  it('tells a flooding client to slow down, but never drops an ack it is owed', async () => {
    const ws = newSession();
    hello(ws);
    ws.say({ type: 'run', requestId: 'r', lessonId: LESSON, source: '' });
    const run = started.at(-1)!;
    // 300 frames' worth of output in 300 passes: the browser owes 300 acks.
    for (let i = 0; i < 300; i++) {
      run.log.appendOutput(i % 2, Buffer.alloc(10, 0x41));
      await pumped();
    }
    const frames = ws.frames.length;
    expect(frames).toBe(300);
    for (let i = 0; i < frames; i++) ws.say({ type: 'ack', bytes: 10 });
    expect(ws.texts.some((m) => m.type === 'error' && m.code === 'rate-limited')).toBe(false);
    // Beyond what is owed, messages are charged: a burst of 200 is told to slow down.
    for (let i = 0; i < 200; i++) ws.say({ type: 'progress-get', requestId: `p${i}` });
    expect(ws.texts.filter((m) => m.type === 'error' && m.code === 'rate-limited')).toHaveLength(1);
    expect(ws.closedWith).toBeNull();
  });
});
