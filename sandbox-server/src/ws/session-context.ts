import type { ClientMessage, ErrorCode, ServerMessage } from '@jaillab/protocol';
import type { RoomAttacks } from '../attacks/room-attacks.js';
import type { ProbeAuthoring } from '../authoring/probe-authoring.js';
import type { BreakItRounds } from '../rounds/break-it-rounds.js';
import type { LessonCatalog } from '../lessons/lesson-catalog.js';
import type { Run } from '../runs/run.js';
import type { RunService } from '../runs/run-service.js';
import type { ShellService } from '../shell/shell-service.js';
import type { Learner, Store } from '../store/store.js';
import type { RunExecutor } from '../execution/run-executor.js';
import type { WorkshopService } from '../workshops/workshop-service.js';
import type { DoorPasses } from './door-pass.js';
import type { IdentityLimits } from './identity-limits.js';
import type { RunRateLimits } from './run-rate-limits.js';
import type { ShellChannels } from './shell-channels.js';

/** What every socket session is given by the server. */
export interface SessionDeps {
  store: Store;
  runs: RunService;
  catalog: LessonCatalog;
  /** Where runs execute (for the accelerator a welcome names). */
  executor: Pick<RunExecutor, 'capacity'>;
  instructorToken: string;
  shells: ShellService;
  /** Shared by all sockets: runs started per learner and per address. */
  runLimits: RunRateLimits;
  workshops: WorkshopService;
  /** Instructors' probes fired at a room's jails. */
  attacks: RoomAttacks;
  /** The probe editor: the library, compiling drafts, keeping them as probe folders, lessons:check. */
  authoring: ProbeAuthoring;
  /** Break-it rounds between a workshop's students. */
  rounds: BreakItRounds;
  /** Shared by all sockets: new learners, new members and wrong join codes, per address. */
  identityLimits: IdentityLimits;
  /** Issues the door passes members and instructors present at the upgrade. */
  doorPasses: DoorPasses;
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
  /**
   * Live feeds this socket follows (a dashboard, a drop-in), by name: a new one under the same name stops
   * the old one, and all stop when the socket closes.
   */
  follow(name: string, stop: (() => void) | null): void;
  /** Whether this learner is a student of a workshop in progress (limits are per student then). */
  inRoom(): boolean;
  /** The learner just joined a workshop: this socket now counts against the student, not the address. */
  joinedRoom(): void;
}

/** Every message but those the session handles itself (hello, ack, heartbeat): these need a learner. */
export type LearnerMessage = Exclude<ClientMessage, { type: 'hello' | 'ack' | 'heartbeat' }>;
export type LearnerMessageType = LearnerMessage['type'];
type MessageOf<T extends LearnerMessageType> = Extract<LearnerMessage, { type: T }>;

/** A handler for each of the message types K: a table, so a new message without a handler does not compile. */
export type Handlers<K extends LearnerMessageType> = { [T in K]: (msg: MessageOf<T>, ctx: SessionContext) => void };
