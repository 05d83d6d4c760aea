import type { ErrorCode } from '@jaillab/protocol';
import { WorkshopError } from '../workshops/workshop-service.js';
import type { Handlers, SessionContext } from './session-context.js';

type InstructorOnly = 'workshop-create' | 'workshop-room-size' | 'workshop-list' | 'workshop-watch' | 'workshop-unwatch' | 'workshop-lessons' | 'workshop-broadcast' | 'workshop-end' | 'workshop-remove' | 'workshop-export' | 'drop-in' | 'drop-out';

/** Runs a workshop action, turning its refusals into the error reply. */
function attempt(ctx: SessionContext, requestId: string | undefined, action: () => void): void {
  try {
    action();
  } catch (e) {
    if (!(e instanceof WorkshopError)) throw e;
    ctx.error(e.code as ErrorCode, e.message, requestId);
  }
}

/** Wraps an instructor's handler: the socket must have said hello with the instructor token. */
function instructor<T extends object>(handle: (msg: T, ctx: SessionContext) => void): (msg: T, ctx: SessionContext) => void {
  return (msg, ctx) => {
    const requestId = 'requestId' in msg && typeof msg.requestId === 'string' ? msg.requestId : undefined;
    if (!ctx.instructor) return ctx.error('forbidden', 'workshops are run with the instructor token', requestId);
    attempt(ctx, requestId, () => handle(msg, ctx));
  };
}

const instructorHandlers: Handlers<InstructorOnly> = {
  'workshop-create': instructor((msg, ctx) => {
    const workshop = ctx.deps.workshops.create(msg.title, msg.lessonIds, msg.endsAt ?? null, msg.roomSize);
    ctx.send({ type: 'workshop-created', requestId: msg.requestId, workshop });
  }),
  'workshop-room-size': instructor((msg, ctx) => {
    ctx.deps.workshops.setRoomSize(msg.workshopId, msg.roomSize);
    ctx.send({ type: 'workshop-dashboard', workshopId: msg.workshopId, dashboard: ctx.deps.workshops.dashboard(msg.workshopId) });
  }),
  'workshop-list': instructor((msg, ctx) => ctx.send({ type: 'workshop-list', requestId: msg.requestId, workshops: ctx.deps.workshops.list() })),
  'workshop-watch': instructor((msg, ctx) => {
    const stop = ctx.deps.workshops.watchDashboard(msg.workshopId, (dashboard) => ctx.send({ type: 'workshop-dashboard', workshopId: msg.workshopId, dashboard }));
    ctx.follow(`dashboard:${msg.workshopId}`, stop);
  }),
  'workshop-unwatch': instructor((msg, ctx) => ctx.follow(`dashboard:${msg.workshopId}`, null)),
  'workshop-lessons': instructor((msg, ctx) => ctx.deps.workshops.setLessons(msg.workshopId, msg.lessons)),
  'workshop-broadcast': instructor((msg, ctx) => ctx.deps.workshops.broadcast(msg.workshopId, msg.message)),
  'workshop-end': instructor((msg, ctx) => ctx.deps.workshops.end(msg.workshopId)),
  'workshop-remove': instructor((msg, ctx) => ctx.deps.workshops.remove(msg.workshopId, msg.learnerId)),
  'workshop-export': instructor((msg, ctx) => ctx.send({ type: 'workshop-export', requestId: msg.requestId, workshopId: msg.workshopId, ...ctx.deps.workshops.exportCsv(msg.workshopId) })),
  'drop-in': instructor((msg, ctx) => {
    const w = ctx.deps.workshops;
    const member = w.store.member(msg.workshopId, msg.learnerId);
    if (!member) throw new WorkshopError('unknown-workshop', 'that student is not in this workshop');
    const send = (code: string | null): void =>
      ctx.send({ type: 'drop-in', workshopId: msg.workshopId, learnerId: member.learnerId, lessonId: msg.lessonId, name: member.name, code, lastRunId: ctx.deps.store.lastRun(member.learnerId, msg.lessonId)?.runId ?? null });
    send(ctx.deps.store.code(member.learnerId, msg.lessonId)?.source ?? null);
    // One drop-in per socket: following another student ends this one.
    ctx.follow('drop-in', w.dropIn(member.learnerId, msg.lessonId, send));
  }),
  'drop-out': instructor((_msg, ctx) => ctx.follow('drop-in', null)),
};

const studentHandlers: Handlers<'workshop-join' | 'workshop-leave' | 'workshop-get'> = {
  'workshop-join'(msg, ctx) {
    // Codes are guessed from an address, not a socket: wrong ones are charged to the address and logged.
    const limits = ctx.deps.identityLimits;
    const slowDown = limits.mayTryCode(ctx.address);
    if (slowDown) return ctx.error('rate-limited', slowDown, msg.requestId);
    attempt(ctx, msg.requestId, () => {
      let joined: ReturnType<typeof ctx.deps.workshops.join>;
      try {
        joined = ctx.deps.workshops.join(ctx.learner.id, msg.code, msg.name, msg.memberKey, () => limits.newMember(ctx.address));
      } catch (e) {
        if (e instanceof WorkshopError && e.code === 'unknown-workshop') {
          limits.codeFailed(ctx.address);
          ctx.deps.log(`workshop: wrong join code ${JSON.stringify(msg.code)} from ${ctx.address} (learner ${ctx.learner.id})`);
        }
        throw e;
      }
      // Rejoining as themselves from another browser: this browser becomes that learner (and reconnects as them).
      const member = joined.becomeLearner ?? ctx.learner.id;
      const learnerToken = joined.becomeLearner ? ctx.deps.store.issueToken(joined.becomeLearner) : undefined;
      ctx.send({ type: 'workshop-joined', requestId: msg.requestId, workshop: joined.view, memberKey: joined.memberKey, ...(learnerToken ? { learnerToken } : {}), doorPass: ctx.deps.doorPasses.forMember(member) });
      if (!learnerToken) {
        ctx.joinedRoom();
        ctx.follow('membership', ctx.deps.workshops.attachMember(ctx.learner.id, (workshop) => ctx.send({ type: 'workshop', workshop })));
      }
    });
  },
  'workshop-leave'(msg, ctx) {
    ctx.deps.workshops.leave(ctx.learner.id);
    ctx.send({ type: 'workshop', requestId: msg.requestId, workshop: null });
  },
  'workshop-get'(msg, ctx) {
    ctx.send({ type: 'workshop', requestId: msg.requestId, workshop: ctx.deps.workshops.viewFor(ctx.learner.id) });
  },
};

/** Workshops over the socket: an instructor's controls and dashboard, a student's joining and their view. */
export const workshopHandlers = { ...instructorHandlers, ...studentHandlers };
