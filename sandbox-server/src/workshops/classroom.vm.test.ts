import type { ServerMessage } from '@jaillab/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JailLabClient, ServerError } from '../client/jaillab-client.js';
import { FIRST_LESSON, programThat } from '../../test/lesson-sources.js';
import { startOwnServer } from '../../test/own-server.js';

/**
 * A room behind one address: forty students, two sockets each, pressing Run
 * every few seconds for a minute, on a server of its own (the shared one
 * serves the other test files from the same address). Nobody is refused or
 * throttled for the address's sake; and the queue takes turns between
 * students, so one pressing Run over and over does not hold up another.
 */
const INSTRUCTOR = 'classroom-test-instructor-token-0';
const STUDENTS = 40;
const MINUTE_MS = 60_000;

let server: Awaited<ReturnType<typeof startOwnServer>>;
beforeAll(async () => {
  server = await startOwnServer({ instructorToken: INSTRUCTOR, maxConcurrentRuns: 1, poolSize: 1 });
});
afterAll(async () => {
  await server?.stop();
});

describe('a classroom behind one address', () => {
  it('forty students with two tabs each, pressing Run every few seconds for a minute: none refused or throttled for the address', async () => {
    const teacher = await JailLabClient.connect(server.url, { instructorToken: INSTRUCTOR });
    const { workshop } = await teacher.request({ type: 'workshop-create', title: 'Room test', lessonIds: [FIRST_LESSON] }, 'workshop-created');
    const problems: string[] = [];
    const students = await Promise.all(
      Array.from({ length: STUDENTS }, async (_, i) => {
        const first = await JailLabClient.connect(server.url);
        await first.request({ type: 'workshop-join', code: workshop.code, name: `Student ${i}` }, 'workshop-joined');
        const second = await JailLabClient.connect(server.url, { learnerToken: first.welcome.learnerToken! });
        return [first, second] as const;
      }),
    );
    for (const [a, b] of students)
      for (const c of [a, b]) c.on((m) => m.type === 'error' && problems.push(`${m.code}: ${m.message}`));
    // A program that does not compile: every press goes through the limits, the queue and the compiler (a
    // cached result after the first), and no VM is needed, so a minute of forty students stays cheap.
    const broken = programThat('this does not compile;');
    let accepted = 0;
    let pressed = 0;
    const until = Date.now() + MINUTE_MS;
    await Promise.all(
      students.map(async ([a, b], i) => {
        for (let press = 0; Date.now() < until; press++) {
          const socket = press % 2 === 0 ? a : b;
          pressed++;
          try {
            const r = await socket.run(FIRST_LESSON, broken);
            if (r.finished.outcome === 'compile-error' || r.finished.outcome === 'cancelled') accepted++;
          } catch (e) {
            problems.push(e instanceof ServerError ? `${e.code}: ${e.message}` : (e as Error).message);
          }
          // Every few seconds, not in step with each other.
          await new Promise((r) => setTimeout(r, 3000 + ((i * 137 + press * 61) % 2000)));
        }
      }),
    );
    expect(problems.filter((p) => /address|too many connections/.test(p))).toEqual([]);
    expect(problems).toEqual([]);
    // Every press of every student went through (how many fit in the minute is the machine's business, not the test's).
    expect(pressed).toBeGreaterThanOrEqual(STUDENTS);
    expect(accepted).toBe(pressed);
    for (const [a, b] of students) {
      a.close();
      b.close();
    }
    teacher.close();
  }, 180_000);

  it('takes turns: a student with several things waiting delays another student\'s first Run by at most one run slot', async () => {
    const teacher = await JailLabClient.connect(server.url, { instructorToken: INSTRUCTOR });
    const { workshop } = await teacher.request({ type: 'workshop-create', title: 'Fairness', lessonIds: [FIRST_LESSON] }, 'workshop-created');
    const [busy, eager, patient] = await Promise.all(['Busy', 'Eager', 'Patient'].map(async (name) => {
      const c = await JailLabClient.connect(server.url);
      await c.request({ type: 'workshop-join', code: workshop.code, name }, 'workshop-joined');
      return c;
    })) as [JailLabClient, JailLabClient, JailLabClient];
    const order: string[] = [];
    // The one VM slot is busy with a run that takes its time.
    const slow = programThat('sleep(3);');
    const busyRun = busy.run(FIRST_LESSON, slow);
    await busy.next((m) => m.type === 'run-event' && m.event.type === 'check-started');
    // Eager queues two things (a shell, then a run: a run does not replace a shell), then Patient presses Run once.
    const shellQueued = eager.next((m) => m.type === 'shell-status' && /number 1 in the queue/.test(m.message));
    eager.send({ type: 'shell-open', requestId: 'shell', lessonId: FIRST_LESSON, source: slow, cols: 80, rows: 24 });
    await shellQueued;
    const eagerRun = eager.run(FIRST_LESSON, slow, { onEvent: (e) => e.type === 'vm-ready' && order.push('eager run') });
    await eager.next((m) => m.type === 'run-event' && m.event.type === 'queued');
    const patientRun = patient.run(FIRST_LESSON, slow, { onEvent: (e) => e.type === 'vm-ready' && order.push('patient run') });
    // The shell, once open, is closed again: it would hold its slot for minutes.
    const opened = eager.next((m): m is Extract<ServerMessage, { type: 'shell-opened' }> => m.type === 'shell-opened');
    void opened.then((m) => {
      order.push('eager shell');
      eager.send({ type: 'shell-close', channel: m.channel });
    });
    await Promise.all([busyRun, eagerRun, patientRun, opened]);
    // Arrival order would give Eager both before Patient; turns give Patient the second slot.
    expect(order).toEqual(['eager shell', 'patient run', 'eager run']);
    for (const c of [teacher, busy, eager, patient]) c.close();
  }, 120_000);
});
