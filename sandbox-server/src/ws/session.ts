import { type ClientMessage, type ErrorCode, type ServerMessage, SOCKET_IDLE_TIMEOUT_MS } from '@jaillab/protocol';
import type { RawData, WebSocket } from 'ws';
import type { Run } from '../runs/run.js';
import type { Learner } from '../store/store.js';
import { FlowControl } from './flow-control.js';
import { handlers } from './handlers.js';
import { greet } from './hello.js';
import { MessageGuard } from './message-guard.js';
import { OutputPump } from './output-pump.js';
import { parseClientMessage } from './parse-message.js';
import { RunStream } from './run-stream.js';
import type { LearnerMessage, SessionContext, SessionDeps } from './session-context.js';
import { ShellChannels } from './shell-channels.js';
import type { GateTicket } from './socket-gate.js';
import { progressOf } from './workspace-handlers.js';

export type { SessionDeps } from './session-context.js';

const HELLO_TIMEOUT_MS = 10_000;

/** The socket as a session uses it (a `ws` WebSocket; a stand-in in unit tests). */
export type SessionSocket = Pick<WebSocket, 'send' | 'close' | 'on' | 'bufferedAmount'>;

/**
 * One browser tab's socket. It only routes: the guard admits a message (rate
 * limit), the parser validates it, `hello` says who the socket is, and the
 * handler table answers everything else. Output of runs and shells leaves
 * through one pump under one flow control. A bad message gets an `error`
 * reply and changes nothing.
 */
export class SocketSession {
  private learner: Learner | null = null;
  private instructor = false;
  private closed = false;
  private nextChannel = 1;
  private readonly guard = new MessageGuard();
  private readonly pump: OutputPump;
  private readonly shells: ShellChannels;
  private readonly watching = new Set<() => void>();
  private readonly following = new Map<string, () => void>();
  private readonly helloTimer: NodeJS.Timeout;
  /** After hello: closes the socket once it has sent nothing for SOCKET_IDLE_TIMEOUT_MS. */
  private idleTimer: NodeJS.Timeout | null = null;
  private lastMessageAt = Date.now();
  private context: SessionContext | null = null;

  constructor(
    private readonly ws: SessionSocket,
    private readonly deps: SessionDeps,
    /** The peer's address, for the per-address limits. */
    private readonly address: string,
    /** Its place at the door: counted for its address, or for its workshop student, from hello on. */
    private readonly ticket: GateTicket | null = null,
  ) {
    this.helloTimer = setTimeout(() => {
      if (!this.learner) ws.close(1008, 'no hello');
    }, HELLO_TIMEOUT_MS);
    this.pump = new OutputPump(
      {
        send: (m) => this.send(m),
        sendFrame: (f) => {
          if (this.closed) return;
          this.ws.send(f);
          this.guard.frameSent();
        },
        bufferedAmount: () => this.ws.bufferedAmount,
      },
      new FlowControl(),
    );
    this.shells = new ShellChannels({ service: deps.shells, catalog: deps.catalog, send: (m) => this.send(m), pump: this.pump, allocateChannel: () => this.nextChannel++ });
    ws.on('message', (data: RawData, isBinary: boolean) => this.onMessage(data, isBinary));
    ws.on('close', () => this.dispose());
    ws.on('error', () => this.dispose());
  }

  private send(msg: ServerMessage): void {
    if (!this.closed) this.ws.send(JSON.stringify(msg));
  }

  private error(code: ErrorCode, message: string, requestId?: string): void {
    this.send({ type: 'error', code, message, ...(requestId ? { requestId } : {}) });
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    this.lastMessageAt = Date.now();
    this.ticket?.active();
    const admission = this.guard.admit(data, isBinary);
    if (admission.kind === 'close') return this.ws.close(1008, 'too many messages');
    if (admission.kind === 'drop') {
      if (admission.notify) this.error('rate-limited', 'too many messages: slow down');
      return;
    }
    const parsed = parseClientMessage(data, isBinary);
    if (!parsed.ok) return this.error(parsed.code, parsed.message, parsed.requestId);
    try {
      this.dispatch(parsed.msg);
    } catch (e) {
      this.deps.log(`socket: ${(e as Error).stack ?? e}`);
      this.error('internal', 'the server could not handle that message');
    }
  }

  private dispatch(msg: ClientMessage): void {
    if (msg.type === 'hello') return this.hello(msg.learnerToken, msg.instructorToken);
    if (msg.type === 'ack') return this.pump.acked(msg.bytes);
    if (msg.type === 'heartbeat') return;
    if (!this.context) return this.error('not-hello', 'say hello first');
    const handle = handlers[msg.type] as (m: LearnerMessage, ctx: SessionContext) => void;
    handle(msg, this.context);
  }

  private hello(learnerToken: string | undefined, instructorToken: string | undefined): void {
    if (this.learner) return this.error('bad-message', 'hello was already said on this socket');
    const greeting = greet(learnerToken, instructorToken, this.deps, () => this.deps.identityLimits.newLearner(this.address));
    if (!greeting.ok) {
      this.error(greeting.code, greeting.message);
      if (greeting.code === 'rate-limited') this.ws.close(1008, 'too many new learners');
      return;
    }
    const inRoom = this.deps.workshops.isInRoom(greeting.learner.id);
    const refusal = this.ticket?.settle(greeting.instructor ? 'instructor' : inRoom ? { member: greeting.learner.id } : 'address') ?? null;
    if (refusal) {
      this.error('rate-limited', refusal);
      return this.ws.close(1008, refusal);
    }
    this.learner = greeting.learner;
    this.instructor = greeting.instructor;
    clearTimeout(this.helloTimer);
    this.armIdleTimer();
    this.context = {
      learner: greeting.learner,
      instructor: greeting.instructor,
      address: this.address,
      deps: this.deps,
      send: (m) => this.send(m),
      error: (c, m, r) => this.error(c, m, r),
      watch: (run, requestId) => this.watch(run, requestId),
      shells: this.shells,
      follow: (name, stop) => this.follow(name, stop),
      inRoom: () => this.deps.workshops.isInRoom(greeting.learner.id),
      joinedRoom: () => void this.ticket?.settle({ member: greeting.learner.id }),
    };
    const doorPass = greeting.instructor ? this.deps.doorPasses.forInstructor() : inRoom ? this.deps.doorPasses.forMember(greeting.learner.id) : undefined;
    this.send(doorPass ? { ...greeting.welcome, doorPass } : greeting.welcome);
    // A workshop student hears about their workshop (lessons opened, broadcasts, its end) as it changes.
    if (this.deps.workshops.store.membershipOf(greeting.learner.id))
      this.follow('membership', this.deps.workshops.attachMember(greeting.learner.id, (workshop) => this.send({ type: 'workshop', workshop })));
  }

  /** One timer per socket, re-armed for what is left of the idle time rather than on every message. */
  private armIdleTimer(): void {
    const left = this.lastMessageAt + SOCKET_IDLE_TIMEOUT_MS - Date.now();
    this.idleTimer = setTimeout(() => {
      if (this.closed) return;
      if (Date.now() - this.lastMessageAt >= SOCKET_IDLE_TIMEOUT_MS) this.ws.close(1008, 'idle');
      else this.armIdleTimer();
    }, Math.max(0, left));
  }

  private follow(name: string, stop: (() => void) | null): void {
    this.following.get(name)?.();
    this.following.delete(name);
    if (!stop) return;
    if (this.closed) stop();
    else this.following.set(name, stop);
  }

  private watch(run: Run, requestId: string): void {
    if (this.closed) return;
    const channel = this.nextChannel++;
    const unsubscribe = run.log.onAppend(() => this.pump.schedule());
    this.watching.add(unsubscribe);
    this.pump.add(
      channel,
      new RunStream(run, channel, () => {
        unsubscribe();
        this.watching.delete(unsubscribe);
        // The run may have changed the lesson's status: the outline shows it without asking.
        if (this.context && run.learnerId === this.context.learner.id) this.send({ type: 'progress', ...progressOf(this.context) });
      }),
    );
    this.send({ type: 'run-accepted', requestId, runId: run.id, channel });
  }

  private dispose(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.helloTimer);
    if (this.idleTimer) clearTimeout(this.idleTimer);
    for (const unsubscribe of this.watching) unsubscribe();
    this.watching.clear();
    for (const stop of this.following.values()) stop();
    this.following.clear();
    this.ticket?.release();
    this.pump.close();
    this.shells.closeAll('closed');
  }
}
