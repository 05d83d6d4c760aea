import { HEARTBEAT_INTERVAL_MS, type ServerMessage, SOCKET_IDLE_TIMEOUT_MS } from '@jaillab/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FIRST_LESSON } from '../../test/lesson-sources.js';
import type { FakeSocket } from '../../test/fake-socket.js';
import { INSTRUCTOR_TOKEN, isRefused, RoomHarness } from '../../test/room-harness.js';
import { WARM_DOWN_AFTER_MS } from '../workshops/workshop-service.js';
import { DEFAULT_IDENTITY_BUDGETS } from './identity-limits.js';
import { EVICT_AFTER_IDLE_MS, MAX_PENDING_PER_ADDRESS, MAX_SOCKETS_PER_ADDRESS, MAX_SOCKETS_PER_MEMBER } from './socket-gate.js';

/**
 * Issue 25, findings 1, 2, 5 and 6, as a student in the room would try them:
 * the door, made-up identities, guessed codes, locks and removals. One
 * address (the school's NAT) for everyone; the clock is a fake one.
 */
const ROOM = '10.1.2.3';
const SECOND = 'first-jail/leaked-descriptors';
type Joined = Extract<ServerMessage, { type: 'workshop-joined' }>;
type Err = Extract<ServerMessage, { type: 'error' }>;

let room: RoomHarness;
beforeEach(async () => {
  vi.useFakeTimers();
  room = await RoomHarness.start();
});
afterEach(() => {
  room.close();
  vi.useRealTimers();
});

function startWorkshop(roomSize?: number): { code: string; id: string; teacher: FakeSocket; instructorPass: string } {
  const { ws: teacher, welcome } = room.hello(ROOM, { instructorToken: INSTRUCTOR_TOKEN });
  teacher.say({ type: 'workshop-create', requestId: 'c', title: 'Jails', lessonIds: [FIRST_LESSON, SECOND], ...(roomSize ? { roomSize } : {}) });
  const created = teacher.last();
  if (created.type !== 'workshop-created') throw new Error(JSON.stringify(created));
  return { code: created.workshop.code, id: created.workshop.id, teacher, instructorPass: welcome.doorPass! };
}

function join(ws: FakeSocket, code: string, name: string, memberKey?: string): Joined | Err {
  ws.say({ type: 'workshop-join', requestId: 'j', code, name, ...(memberKey ? { memberKey } : {}) });
  const reply = ws.texts.findLast((m) => (m.type === 'workshop-joined' || m.type === 'error') && m.requestId === 'j');
  ws.texts.length = 0;
  return reply as Joined | Err;
}

describe('issue 25 #1: one client cannot lock the room out', () => {
  it('64 idle sockets from the room\'s address: a member, the instructor and a new student still connect; the idle ones time out', () => {
    const { code, teacher, instructorPass } = startWorkshop();
    const { ws: adaWs, welcome: adaWelcome } = room.hello(ROOM);
    const joined = join(adaWs, code, 'Ada');
    if (joined.type !== 'workshop-joined') throw new Error(JSON.stringify(joined));
    expect(joined.doorPass).toMatch(/^m\./);
    adaWs.close();
    teacher.close();

    // The attack: 64 sockets that say hello (as one learner, so new learners cost nothing), then nothing.
    const attacker = room.hello(ROOM);
    const idle = [attacker.ws, ...Array.from({ length: MAX_SOCKETS_PER_ADDRESS - 1 }, () => room.hello(ROOM, { learnerToken: attacker.welcome.learnerToken! }).ws)];
    const turnedAway = room.connect(ROOM);
    expect(isRefused(turnedAway) && turnedAway.refused).toMatch(/too many connections from this address/);

    // A member reconnecting with their pass, and the instructor with theirs, are not counted against the address.
    const ada = room.hello(ROOM, { learnerToken: adaWelcome.learnerToken!, pass: joined.doorPass! });
    expect(ada.welcome.learnerId).toBe(adaWelcome.learnerId);
    const instructor = room.hello(ROOM, { instructorToken: INSTRUCTOR_TOKEN, pass: instructorPass });
    expect(instructor.welcome.instructor).toBe(true);
    const live = [ada.ws, instructor.ws];
    const beat = (ms: number): void => {
      for (let t = 0; t < ms; t += HEARTBEAT_INTERVAL_MS) {
        for (const ws of live) ws.say({ type: 'heartbeat' });
        vi.advanceTimersByTime(Math.min(HEARTBEAT_INTERVAL_MS, ms - t));
      }
    };

    // A new student has no pass: once the idle sockets have done nothing for a while, one gives up its place.
    beat(EVICT_AFTER_IDLE_MS);
    const newcomer = room.hello(ROOM);
    live.push(newcomer.ws);
    expect(idle.filter((ws) => ws.closedWith === 1008)).toHaveLength(1);
    expect(join(newcomer.ws, code, 'Cy')).toMatchObject({ type: 'workshop-joined' });

    // And every socket that said hello and then nothing is closed; the ones that kept talking stay.
    beat(SOCKET_IDLE_TIMEOUT_MS);
    expect(idle.every((ws) => ws.closedWith === 1008)).toBe(true);
    expect(live.map((ws) => ws.closedWith)).toEqual([null, null, null]);
    expect(isRefused(room.connect(ROOM))).toBe(false);
  });

  it('256 sockets that never say hello keep no member out; a made-up pass counts as nobody; a member\'s pass holds 8 sockets at most', () => {
    const { code } = startWorkshop();
    const bob = room.hello(ROOM);
    const joined = join(bob.ws, code, 'Bob') as Joined;
    for (let i = 0; i < MAX_PENDING_PER_ADDRESS; i++) expect(isRefused(room.connect(ROOM))).toBe(false);
    expect(isRefused(room.connect(ROOM))).toBe(true);
    expect(isRefused(room.connect(ROOM, 'm.l_forged.AAAAAAAAAAAAAAAAAAAAAAAAAAA'))).toBe(true);
    // Bob's own socket already holds one of his eight places.
    for (let i = 1; i < MAX_SOCKETS_PER_MEMBER; i++) room.hello(ROOM, { learnerToken: bob.welcome.learnerToken!, pass: joined.doorPass! });
    const ninth = room.connect(ROOM, joined.doorPass!);
    expect(isRefused(ninth) && ninth.refused).toMatch(/one student/);
  });
});

describe('issue 25 #2: a student with the join code cannot make any number of students', () => {
  it('new learners per address are budgeted: a burst for a class, then a few a minute; known learners are never charged', () => {
    const { newLearners } = DEFAULT_IDENTITY_BUDGETS;
    const first = room.hello('10.9.9.9');
    first.ws.close();
    for (let i = 1; i < newLearners.burst; i++) room.hello('10.9.9.9').ws.close();
    const extra = room.connect('10.9.9.9') as FakeSocket;
    extra.say({ type: 'hello' });
    expect(extra.last()).toMatchObject({ type: 'error', code: 'rate-limited' });
    expect(extra.closedWith).toBe(1008);
    expect(room.hello('10.9.9.9', { learnerToken: first.welcome.learnerToken! }).welcome.learnerId).toBe(first.welcome.learnerId);
    vi.advanceTimersByTime(60_000 / newLearners.perMinute);
    expect(room.hello('10.9.9.9').welcome.learnerToken).toBeDefined();
  });

  it('the instructor sets the room size: a made-up student beyond it is refused; a member rejoining is not', () => {
    const { code, id, teacher } = startWorkshop(3);
    const members = ['Ada', 'Bob', 'Cy'].map((name) => {
      const s = room.hello(ROOM);
      expect(join(s.ws, code, name)).toMatchObject({ type: 'workshop-joined' });
      return s;
    });
    const fake = room.hello(ROOM);
    expect(join(fake.ws, code, 'Mallory')).toMatchObject({ type: 'error', code: 'workshop-full' });
    expect(join(members[0]!.ws, code, 'Ada')).toMatchObject({ type: 'workshop-joined' });
    teacher.say({ type: 'workshop-room-size', requestId: 'r', workshopId: id, roomSize: 4 });
    expect(teacher.last()).toMatchObject({ type: 'workshop-dashboard', dashboard: { workshop: { roomSize: 4 } } });
    expect(join(fake.ws, code, 'Mallory')).toMatchObject({ type: 'workshop-joined' });
  });

  it('new members per address are budgeted: beyond the burst, a made-up student waits', async () => {
    room.close();
    room = await RoomHarness.start({ newMembers: { burst: 5, perMinute: 2 } });
    const { code } = startWorkshop(500);
    for (let i = 0; i < 5; i++) expect(join(room.hello(ROOM).ws, code, `Student ${i}`)).toMatchObject({ type: 'workshop-joined' });
    const sixth = room.hello(ROOM).ws;
    expect(join(sixth, code, 'Student 5')).toMatchObject({ type: 'error', code: 'rate-limited', message: expect.stringMatching(/new students/) });
    vi.advanceTimersByTime(30_000);
    expect(join(sixth, code, 'Student 5')).toMatchObject({ type: 'workshop-joined' });
  });

  it('the VM warm-up follows the members connected now, and falls back as they go', () => {
    const { code } = startWorkshop();
    const [ada, ...others] = ['Ada', 'Bob', 'Cy'].map((name) => {
      const s = room.hello(ROOM);
      join(s.ws, code, name);
      return s;
    });
    const students = [ada!, ...others].map((s) => s.ws);
    expect(room.warmTargets.at(-1)).toBe(3);
    // A reload (gone and back within the minute) changes nothing; a room that went home is followed down.
    students[0]!.close();
    const back = room.hello(ROOM, { learnerToken: ada!.welcome.learnerToken! });
    vi.advanceTimersByTime(WARM_DOWN_AFTER_MS);
    expect(room.warmTargets).toEqual([0, 1, 2, 3]);
    for (const ws of [back.ws, ...students.slice(1)]) ws.close();
    expect(room.warmTargets.at(-1)).toBe(3);
    vi.advanceTimersByTime(WARM_DOWN_AFTER_MS);
    expect(room.warmTargets.at(-1)).toBe(0);
    // Nine made-up members who join and go hold no VM for long.
    for (let i = 0; i < 9; i++) {
      const s = room.hello(ROOM);
      join(s.ws, code, `Fake ${i}`);
      s.ws.close();
    }
    vi.advanceTimersByTime(WARM_DOWN_AFTER_MS);
    expect(room.warmTargets.at(-1)).toBe(0);
    expect(Math.max(...room.warmTargets)).toBe(3);
  });
});

describe('issue 25 #5: join codes cannot be guessed as fast as messages are answered', () => {
  it('wrong codes are limited per address across sockets and logged; an ended workshop answers like an unknown code', () => {
    const { code, id, teacher } = startWorkshop();
    const { failedJoins } = DEFAULT_IDENTITY_BUDGETS;
    const sockets = Array.from({ length: 4 }, () => room.hello('10.6.6.6').ws);
    const answers = Array.from({ length: failedJoins.burst + 5 }, (_, i) => join(sockets[i % 4]!, 'ZZZZZZ', 'Eve') as Err);
    expect(answers.slice(0, failedJoins.burst).every((a) => a.code === 'unknown-workshop')).toBe(true);
    expect(answers.slice(failedJoins.burst).every((a) => a.code === 'rate-limited')).toBe(true);
    // Even the right code waits: a guesser cannot tell a hit by its answer.
    expect(join(sockets[0]!, code, 'Eve')).toMatchObject({ code: 'rate-limited' });
    expect(room.logs.filter((l) => /wrong join code "ZZZZZZ" from 10\.6\.6\.6/.test(l))).toHaveLength(failedJoins.burst);
    // The room's own address is not slowed by someone else's guessing.
    const student = room.hello(ROOM).ws;
    expect(join(student, code, 'Ada')).toMatchObject({ type: 'workshop-joined' });

    teacher.say({ type: 'workshop-end', requestId: 'e', workshopId: id });
    const late = room.hello(ROOM).ws;
    const ended = join(late, code, 'Late') as Err;
    const unknown = join(late, 'YYYYYY', 'Late') as Err;
    expect(ended.code).toBe('unknown-workshop');
    expect(ended.message).toBe(unknown.message.replace('YYYYYY', code));
  });
});

describe('issue 25 #6: a lock or a removal holds', () => {
  it('the solution of a locked lesson is refused like its Run button', () => {
    const { code, id, teacher } = startWorkshop();
    const s = room.hello(ROOM).ws;
    join(s, code, 'Ada');
    teacher.say({ type: 'workshop-lessons', requestId: 'l', workshopId: id, lessons: [{ id: FIRST_LESSON, open: true }, { id: SECOND, open: false }] });
    s.say({ type: 'solution-get', requestId: 's', lessonId: SECOND });
    expect(s.last()).toMatchObject({ type: 'error', code: 'lesson-locked', requestId: 's' });
    s.say({ type: 'solution-get', requestId: 's2', lessonId: 'capstone/a-jail-that-holds' });
    expect(s.last()).toMatchObject({ type: 'error', code: 'lesson-locked' });
    s.say({ type: 'solution-get', requestId: 's3', lessonId: FIRST_LESSON });
    expect(s.last()).toMatchObject({ type: 'solution', requestId: 's3' });
  });

  it('a removed student cannot rejoin at once, under the same name or from a new browser with it', () => {
    const { code, id, teacher } = startWorkshop();
    const bob = room.hello(ROOM);
    join(bob.ws, code, 'Bob');
    teacher.say({ type: 'workshop-remove', requestId: 'r', workshopId: id, learnerId: bob.welcome.learnerId });
    expect(join(bob.ws, code, 'Bob')).toMatchObject({ type: 'error', code: 'name-taken' });
    expect(join(bob.ws, code, 'Robert')).toMatchObject({ type: 'error', code: 'name-taken' });
    const freshBrowser = room.hello(ROOM).ws;
    expect(join(freshBrowser, code, 'B\u043Eb')).toMatchObject({ type: 'error', code: 'name-taken' });
    // A student who leaves by themselves may come back.
    const ada = room.hello(ROOM).ws;
    join(ada, code, 'Ada');
    ada.say({ type: 'workshop-leave', requestId: 'x' });
    expect(join(ada, code, 'Ada')).toMatchObject({ type: 'workshop-joined' });
  });
});
