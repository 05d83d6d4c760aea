import type { ClientMessage, ErrorCode, ServerMessage } from '@jaillab/protocol';
import type { LessonCatalog } from '../lessons/lesson-catalog.js';
import type { Run } from '../runs/run.js';
import type { RunService } from '../runs/run-service.js';
import type { ShellService } from '../shell/shell-service.js';
import type { Learner, Store } from '../store/store.js';
import type { VmBackend } from '../vm/vm-backend.js';
import type { RunRateLimits } from './run-rate-limits.js';
import type { ShellChannels } from './shell-channels.js';

/** What every socket session is given by the server. */
export interface SessionDeps {
  store: Store;
  runs: RunService;
  catalog: LessonCatalog;
  backend: VmBackend;
  instructorToken: string;
  shells: ShellService;
  /** Shared by all sockets: runs started per learner and per address. */
  runLimits: RunRateLimits;
  log: (line: string) => void;
}

/** What a message handler may use: who the socket is, and how to answer on it. */
export interface SessionContext {
  readonly learner: Learner;
  readonly instructor: boolean;
  /** The peer's address, for the per-address limits. */
  readonly address: string;
  readonly deps: SessionDeps;
  send(msg: ServerMessage): void;
  error(code: ErrorCode, message: string, requestId?: string): void;
  /** Streams a run to this socket on a channel of its own. */
  watch(run: Run, requestId: string): void;
  readonly shells: ShellChannels;
}

/** Every message but the two the session handles itself (hello, ack): these need a learner. */
export type LearnerMessage = Exclude<ClientMessage, { type: 'hello' | 'ack' }>;
export type LearnerMessageType = LearnerMessage['type'];
type MessageOf<T extends LearnerMessageType> = Extract<LearnerMessage, { type: T }>;

/** A handler for each of the message types K: a table, so a new message without a handler does not compile. */
export type Handlers<K extends LearnerMessageType> = { [T in K]: (msg: MessageOf<T>, ctx: SessionContext) => void };
