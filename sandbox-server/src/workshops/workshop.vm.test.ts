import type { Dashboard, ServerMessage } from '@jaillab/protocol';
import { describe, expect, inject, it } from 'vitest';
import { JailLabClient, ServerError } from '../client/jaillab-client.js';
import { FIRST_LESSON, firstSolution, firstStarter } from '../../test/lesson-sources.js';

/**
 * A workshop over the real socket API, with real runs in VMs: the instructor
 * starts it and watches the room; students join with the code; a pass shows
 * on the dashboard without asking; locked lessons, broadcasts, drop-in, the
 * export, and a student rejoining as themselves from another browser.
 */
const SECOND = 'first-jail/leaked-descriptors';
type DashboardMsg = Extract<ServerMessage, { type: 'workshop-dashboard' }>;

async function instructor(): Promise<JailLabClient> {
  return JailLabClient.connect(inject('serverUrl'), { instructorToken: inject('instructorToken') });
}

describe('a workshop', () => {
  it('runs a room: join, pass, see it live, lock, broadcast, drop in, export, rejoin', async () => {
    const teacher = await instructor();
    const { workshop } = await teacher.request({ type: 'workshop-create', title: 'Jails at noon', lessonIds: [FIRST_LESSON, SECOND] }, 'workshop-created');
    const dashboards: Dashboard[] = [];
    teacher.on((m) => m.type === 'workshop-dashboard' && m.workshopId === workshop.id && dashboards.push(m.dashboard));
    teacher.send({ type: 'workshop-watch', requestId: 'watch', workshopId: workshop.id });

    const ada = await JailLabClient.connect(inject('serverUrl'));
    const bob = await JailLabClient.connect(inject('serverUrl'));
    const adaJoin = await ada.request({ type: 'workshop-join', code: workshop.code.toLowerCase(), name: 'Ada' }, 'workshop-joined');
    await bob.request({ type: 'workshop-join', code: workshop.code, name: 'Bob' }, 'workshop-joined');
    expect(adaJoin.workshop).toMatchObject({ title: 'Jails at noon', name: 'Ada', endedAt: null });
    // A name someone else holds is refused, to a member too; a member joining again keeps their name.
    await expect(bob.request({ type: 'workshop-join', code: workshop.code, name: 'ada' }, 'workshop-joined')).rejects.toMatchObject({ code: 'name-taken' });
    await expect(bob.request({ type: 'workshop-join', code: workshop.code, name: 'Robert' }, 'workshop-joined')).resolves.toMatchObject({ workshop: { name: 'Bob' } });
    const stranger = await JailLabClient.connect(inject('serverUrl'));
    await expect(stranger.request({ type: 'workshop-join', code: workshop.code, name: 'ADA' }, 'workshop-joined')).rejects.toMatchObject({ code: 'name-taken' });

    // Ada passes lesson 1: the dashboard says so without being asked.
    const passedCell = (d: Dashboard) => d.cells.find((c) => c.learnerId === ada.welcome.learnerId && c.lessonId === FIRST_LESSON)?.status === 'passed';
    expect((await ada.run(FIRST_LESSON, firstSolution())).finished.outcome).toBe('passed');
    const live = await teacher.next((m): m is DashboardMsg => m.type === 'workshop-dashboard' && passedCell(m.dashboard));
    expect(live.dashboard.members.map((m) => m.name).sort()).toEqual(['Ada', 'Bob']);
    expect(live.dashboard.lessons.find((l) => l.lessonId === FIRST_LESSON)?.passed).toBe(1);

    // Bob's starter escapes: the room's stuck probe is named.
    await bob.run(FIRST_LESSON, firstStarter());
    const stuck = await teacher.next((m): m is DashboardMsg => m.type === 'workshop-dashboard' && m.dashboard.lessons.some((l) => l.lessonId === FIRST_LESSON && l.mostEscaping?.probeId === 'cwd-outside'));
    expect(stuck.dashboard.cells.find((c) => c.learnerId === bob.welcome.learnerId && c.lessonId === FIRST_LESSON)).toMatchObject({ status: 'in-progress', contained: 0, total: 1 });

    // Locking the second lesson: Bob's Run there is refused; a lesson outside the workshop too.
    teacher.send({ type: 'workshop-lessons', requestId: 'lock', workshopId: workshop.id, lessons: [{ id: FIRST_LESSON, open: true }, { id: SECOND, open: false }] });
    const locked = await bob.next((m): m is Extract<ServerMessage, { type: 'workshop' }> => m.type === 'workshop' && m.workshop?.lessons[1]?.open === false);
    expect(locked.workshop?.lessons.map((l) => l.open)).toEqual([true, false]);
    await expect(bob.run(SECOND, firstSolution())).rejects.toMatchObject({ code: 'lesson-locked' });
    await expect(bob.run('capstone/a-jail-that-holds', firstSolution())).rejects.toMatchObject({ code: 'lesson-locked' });

    // A broadcast reaches every student's socket.
    const toAda = ada.next((m): m is Extract<ServerMessage, { type: 'workshop' }> => m.type === 'workshop' && (m.workshop?.broadcasts.length ?? 0) > 0);
    const toBob = bob.next((m): m is Extract<ServerMessage, { type: 'workshop' }> => m.type === 'workshop' && (m.workshop?.broadcasts.length ?? 0) > 0);
    teacher.send({ type: 'workshop-broadcast', requestId: 'b', workshopId: workshop.id, message: 'Five minutes left on lesson 1' });
    for (const m of await Promise.all([toAda, toBob])) expect(m.workshop?.broadcasts.at(-1)?.message).toBe('Five minutes left on lesson 1');

    // Drop in on Bob: his code, live, and his last run to watch.
    bob.send({ type: 'code-save', lessonId: FIRST_LESSON, code: { source: 'int main(void) { return 1; }', editedAt: Date.now() } });
    await bob.next((m) => m.type === 'code-saved');
    teacher.send({ type: 'drop-in', requestId: 'd', workshopId: workshop.id, learnerId: bob.welcome.learnerId, lessonId: FIRST_LESSON });
    const dropIn = await teacher.next((m): m is Extract<ServerMessage, { type: 'drop-in' }> => m.type === 'drop-in');
    expect(dropIn).toMatchObject({ name: 'Bob', code: 'int main(void) { return 1; }' });
    const followed = teacher.next((m): m is Extract<ServerMessage, { type: 'drop-in' }> => m.type === 'drop-in' && m.code === 'int main(void) { return 2; }');
    bob.send({ type: 'code-save', lessonId: FIRST_LESSON, code: { source: 'int main(void) { return 2; }', editedAt: Date.now() + 1 } });
    await followed;
    expect((await teacher.watch(dropIn.lastRunId!)).finished.outcome).toBe('failed');
    // A student cannot drop in.
    await expect(ada.request({ type: 'drop-in', workshopId: workshop.id, learnerId: bob.welcome.learnerId, lessonId: FIRST_LESSON }, 'drop-in')).rejects.toMatchObject({ code: 'forbidden' });

    // The export has a row per student and lesson.
    const exported = await teacher.request({ type: 'workshop-export', workshopId: workshop.id }, 'workshop-export');
    const rows = exported.csv.trimEnd().split('\r\n');
    expect(rows[0]).toBe('"student","lesson","passed","runs","first_pass_at","hints_used","solution_shown_before_passing"');
    expect(rows).toContainEqual(expect.stringMatching(new RegExp(`^"Ada","${FIRST_LESSON}","yes","1","\\d{4}-.*","0","no"$`)));
    expect(rows).toContainEqual(`"Bob","${FIRST_LESSON}","no","1","","0",""`);
    expect(rows).toHaveLength(1 + 2 * 2);

    // Ada on another browser: her name and key make it her again (a new token for the same learner).
    const elsewhere = await JailLabClient.connect(inject('serverUrl'));
    const rejoin = await elsewhere.request({ type: 'workshop-join', code: workshop.code, name: 'Ada', memberKey: adaJoin.memberKey }, 'workshop-joined');
    expect(rejoin.learnerToken).toBeDefined();
    const asAda = await JailLabClient.connect(inject('serverUrl'), { learnerToken: rejoin.learnerToken });
    expect(asAda.welcome.learnerId).toBe(ada.welcome.learnerId);
    expect(await asAda.request({ type: 'progress-get' }, 'progress')).toMatchObject({ lessons: { [FIRST_LESSON]: 'passed' } });

    // Ending it: students keep their work, read-only.
    teacher.send({ type: 'workshop-end', requestId: 'end', workshopId: workshop.id });
    await bob.next((m) => m.type === 'workshop' && m.workshop?.endedAt !== null);
    await expect(bob.run(FIRST_LESSON, firstSolution())).rejects.toMatchObject({ code: 'workshop-ended' });
    for (const c of [teacher, ada, bob, stranger, elsewhere, asAda]) c.close();
  });

  it('is for instructors only to start or watch', async () => {
    const student = await JailLabClient.connect(inject('serverUrl'));
    await expect(student.request({ type: 'workshop-create', title: 'mine', lessonIds: [FIRST_LESSON] }, 'workshop-created')).rejects.toBeInstanceOf(ServerError);
    await expect(student.request({ type: 'workshop-join', code: 'ZZZZZZ', name: 'Eve' }, 'workshop-joined')).rejects.toMatchObject({ code: 'unknown-workshop' });
    student.close();
  });
});
