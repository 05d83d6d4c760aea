import { mkdtempSync, rmSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DOOR_PASS_SUBPROTOCOL_PREFIX, type ServerMessage, SOCKET_SUBPROTOCOL } from '@jaillab/protocol';
import type { RoomAttacks } from '../src/attacks/room-attacks.js';
import type { ProbeAuthoring } from '../src/authoring/probe-authoring.js';
import type { BreakItRounds } from '../src/rounds/break-it-rounds.js';
import { loadConfig } from '../src/config/config.js';
import { LessonCatalog } from '../src/lessons/lesson-catalog.js';
import type { RunService } from '../src/runs/run-service.js';
import type { ShellService } from '../src/shell/shell-service.js';
import { Store } from '../src/store/store.js';
import { WorkshopService } from '../src/workshops/workshop-service.js';
import { DoorPasses } from '../src/ws/door-pass.js';
import { type IdentityBudgets, IdentityLimits } from '../src/ws/identity-limits.js';
import { RunRateLimits } from '../src/ws/run-rate-limits.js';
import type { SessionDeps } from '../src/ws/session-context.js';
import { SocketSession } from '../src/ws/session.js';
import { SocketGate } from '../src/ws/socket-gate.js';
import { FakeSocket } from './fake-socket.js';

export const INSTRUCTOR_TOKEN = 'room-harness-instructor-token-01';

/**
 * A classroom server without a network or VMs: the real store, lessons,
 * workshops, socket gate and sessions, with stand-in sockets that come from
 * addresses the test names. Runs are refused (no executor): what these tests
 * attack is the door, identities and the room, not the VMs. Build it after
 * `vi.useFakeTimers()` when the test moves the clock.
 */
export class RoomHarness {
  readonly dataDir = mkdtempSync(join(tmpdir(), 'jaillab-room-'));
  readonly store = new Store(this.dataDir);
  readonly gate = new SocketGate([]);
  readonly passes = new DoorPasses(Buffer.alloc(32, 9));
  readonly logs: string[] = [];
  /** Every target the room's VM warm-up was given, in order. */
  readonly warmTargets: number[] = [];
  readonly workshops: WorkshopService;
  private readonly deps: SessionDeps;

  private constructor(catalog: LessonCatalog, budgets: Partial<IdentityBudgets>) {
    const log = (line: string): void => void this.logs.push(line);
    this.workshops = new WorkshopService({
      store: this.store,
      catalog,
      log,
      secret: Buffer.alloc(32, 9),
      capacity: { stats: () => ({ accelerator: 'tcg', ready: 0, starting: 0, inUse: 0, queued: 0, slots: 1, runners: [] }), warmFor: (n) => void this.warmTargets.push(n) },
    });
    this.deps = {
      store: this.store,
      runs: { start: () => { throw new Error('no runs in the room harness'); }, get: () => undefined, cancel: () => {} } as unknown as RunService,
      catalog,
      executor: { capacity: () => ({ accelerator: 'tcg', slots: 1, ready: 1, starting: 0, inUse: 0, queued: 0, runners: [] }) },
      instructorToken: INSTRUCTOR_TOKEN,
      shells: {} as ShellService,
      attacks: {} as RoomAttacks,
      authoring: {} as ProbeAuthoring,
      rounds: {} as BreakItRounds,
      runLimits: new RunRateLimits(),
      workshops: this.workshops,
      identityLimits: new IdentityLimits(budgets),
      doorPasses: this.passes,
      log,
    };
  }

  static async start(budgets: Partial<IdentityBudgets> = {}): Promise<RoomHarness> {
    return new RoomHarness(await LessonCatalog.load(loadConfig().lessonsDir), budgets);
  }

  /** An upgrade from `address`, offering `pass` as the browser would: the open socket, or the gate's refusal. */
  connect(address: string, pass?: string): FakeSocket | { refused: string } {
    const req = {
      headers: { 'sec-websocket-protocol': [SOCKET_SUBPROTOCOL, ...(pass ? [DOOR_PASS_SUBPROTOCOL_PREFIX + pass] : [])].join(', ') },
      socket: { remoteAddress: address },
    } as unknown as IncomingMessage;
    const claim = this.passes.claimOf(req);
    const refused = this.gate.check(req, claim);
    if (refused) return { refused };
    const ws = new FakeSocket();
    const ticket = this.gate.opened(req, claim, () => ws.close(1008, 'idle: its place went to a new connection'));
    ws.once('close', () => ticket.release());
    new SocketSession(ws as never, this.deps, address, ticket);
    return ws;
  }

  /** Connects and says hello; throws unless welcomed. */
  hello(address: string, o: { learnerToken?: string; instructorToken?: string; pass?: string } = {}): { ws: FakeSocket; welcome: Extract<ServerMessage, { type: 'welcome' }> } {
    const ws = this.connect(address, o.pass);
    if (!(ws instanceof FakeSocket)) throw new Error(`refused at the door: ${ws.refused}`);
    ws.say({ type: 'hello', ...(o.learnerToken ? { learnerToken: o.learnerToken } : {}), ...(o.instructorToken ? { instructorToken: o.instructorToken } : {}) });
    const welcome = ws.last();
    if (welcome.type !== 'welcome') throw new Error(`not welcomed: ${JSON.stringify(welcome)}`);
    return { ws, welcome };
  }

  close(): void {
    this.workshops.close();
    this.store.close();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

export const isRefused = (x: FakeSocket | { refused: string }): x is { refused: string } => !(x instanceof FakeSocket);
