import { attempt } from './answer-refusal.js';
import type { Handlers, SessionContext } from './session-context.js';

type InstructorOnly = 'probe-keep' | 'lesson-check' | 'attack-fire' | 'attack-show-source';
/** Also for a student of an open break-it round: they write probes in the same editor. */
type ProbeWriters = 'probe-library-get' | 'probe-compile';

/** An instructor's action: the socket must have said hello with the instructor token; async work answers when done. */
function instructor<T extends { requestId: string; type: string }>(handle: (msg: T, ctx: SessionContext) => Promise<void> | void): (msg: T, ctx: SessionContext) => void {
  return (msg, ctx) => {
    if (!ctx.instructor) return ctx.error('forbidden', 'the probe editor and room attacks are for instructors', msg.requestId);
    attempt(msg, ctx, handle);
  };
}

/** An instructor's, or a student's of an open break-it round (whose compiles are rationed: gcc runs on this host). */
function probeWriter<T extends { requestId: string; type: string }>(handle: (msg: T, ctx: SessionContext) => Promise<void> | void): (msg: T, ctx: SessionContext) => void {
  return (msg, ctx) => {
    if (!ctx.instructor) {
      if (!ctx.deps.rounds.inOpenRound(ctx.learner.id)) return ctx.error('forbidden', 'the probe editor is for instructors, and for students during a break-it round', msg.requestId);
      if (msg.type === 'probe-compile' && !ctx.deps.authoring.mayCompileForStudent(ctx.learner.id))
        return ctx.error('rate-limited', 'compiling that often is not needed: the editor checks your probe when you pause typing', msg.requestId);
    }
    attempt(msg, ctx, handle);
  };
}

const writerHandlers: Handlers<ProbeWriters> = {
  'probe-library-get': probeWriter((msg, ctx) => ctx.send({ type: 'probe-library', requestId: msg.requestId, ...ctx.deps.authoring.library() })),
  'probe-compile': probeWriter(async (msg, ctx) => {
    const r = await ctx.deps.authoring.compile(msg.source);
    ctx.send({ type: 'probe-compiled', requestId: msg.requestId, ok: r.ok, diagnostics: r.diagnostics, text: r.text });
  }),
};

const instructorHandlers: Handlers<InstructorOnly> = {
  'probe-keep': instructor(async (msg, ctx) => {
    const kept = await ctx.deps.authoring.keep(msg.draft, { replace: msg.replace === true, addTo: msg.addTo ?? null });
    ctx.send({ type: 'probe-kept', requestId: msg.requestId, probeId: msg.draft.id, ...kept });
  }),
  'lesson-check': instructor(async (msg, ctx) => {
    ctx.send({ type: 'lesson-checked', requestId: msg.requestId, report: await ctx.deps.authoring.checkLesson(ctx.learner.id, msg.lessonId) });
  }),
  'attack-fire': instructor(async (msg, ctx) => {
    const fired = await ctx.deps.attacks.fire(msg.workshopId, msg.lessonId, msg.probe, msg.code, msg.showSource);
    ctx.send({ type: 'attack-fired', requestId: msg.requestId, ...fired });
  }),
  'attack-show-source': instructor((msg, ctx) => {
    ctx.deps.attacks.showSource(msg.workshopId, msg.attackId, msg.show);
    ctx.send({ type: 'attack-source-shown', requestId: msg.requestId, attackId: msg.attackId, show: msg.show });
  }),
};

export const attackHandlers: Handlers<InstructorOnly | ProbeWriters | 'attack-record-get'> = {
  ...writerHandlers,
  ...instructorHandlers,
  /** A student's own result, or (the instructor) any student's of a fired probe: the run whole, for its replay. */
  'attack-record-get'(msg, ctx) {
    const learnerId = msg.learnerId ?? ctx.learner.id;
    if (learnerId !== ctx.learner.id && !ctx.instructor) return ctx.error('forbidden', 'that run is not yours to see', msg.requestId);
    ctx.send({ type: 'run-record', requestId: msg.requestId, record: ctx.deps.workshops.attacks.record(msg.attackId, learnerId) });
  },
};
