import type { Dashboard, ServerMessage, WorkshopSummary, WorkshopView } from '@jaillab/protocol';
import { Emitter } from './emitter.js';
import { saveLearnerToken } from './learner-token.js';
import { Requests } from './requests.js';
import type { SocketClient } from './socket-client.js';
import { saveDoorPass } from './door-pass.js';

export type DropIn = Extract<ServerMessage, { type: 'drop-in' }>;

const KEY_PREFIX = 'jaillab.memberKey:';

/** The member key of a workshop joined in this browser: it lets this student rejoin as themselves elsewhere. */
export function memberKeyFor(workshopId: string): string | null {
  try {
    return localStorage.getItem(KEY_PREFIX + workshopId);
  } catch {
    return null;
  }
}

function keepMemberKey(workshopId: string, key: string): void {
  try {
    localStorage.setItem(KEY_PREFIX + workshopId, key);
  } catch {
    // not kept: the student can still write it down from the banner
  }
}

/**
 * Workshops over the socket. For a student: their workshop (pushed by the
 * server whenever it changes) and joining one. For an instructor: creating,
 * listing and running workshops, the live dashboard (re-watched after every
 * reconnect) and dropping in on a student.
 */
export class WorkshopClient {
  readonly viewChanged = new Emitter<WorkshopView | null>();
  private current: WorkshopView | null = null;
  private readonly requests: Requests;
  private readonly dashboards = new Map<string, Set<(d: Dashboard) => void>>();
  private dropIn: { workshopId: string; learnerId: string; lessonId: string; listener: (d: DropIn) => void } | null = null;

  constructor(private readonly socket: SocketClient) {
    this.requests = new Requests(socket);
    socket.welcomed.on(({ welcome }) => {
      socket.send({ type: 'workshop-get', requestId: `wg-${Date.now().toString(36)}` });
      if (welcome.instructor) {
        for (const workshopId of this.dashboards.keys()) socket.send({ type: 'workshop-watch', requestId: `ww-${workshopId}`, workshopId });
        if (this.dropIn) socket.send({ type: 'drop-in', requestId: 'di', workshopId: this.dropIn.workshopId, learnerId: this.dropIn.learnerId, lessonId: this.dropIn.lessonId });
      }
    });
    socket.message.on((msg) => {
      if (msg.type === 'workshop') this.setView(msg.workshop);
      else if (msg.type === 'workshop-joined') this.setView(msg.workshop);
      else if (msg.type === 'workshop-dashboard') for (const l of this.dashboards.get(msg.workshopId) ?? []) l(msg.dashboard);
      else if (msg.type === 'drop-in' && this.dropIn && msg.learnerId === this.dropIn.learnerId) this.dropIn.listener(msg);
    });
  }

  get view(): WorkshopView | null {
    return this.current;
  }

  private setView(view: WorkshopView | null): void {
    this.current = view;
    this.viewChanged.emit(view);
  }

  /** Joins with the code and a name (and this browser's key for that name, if it has one). */
  async join(code: string, name: string, memberKey?: string): Promise<WorkshopView> {
    const r = await this.requests.send({ type: 'workshop-join', code, name, ...(memberKey ? { memberKey } : {}) }, 'workshop-joined');
    keepMemberKey(r.workshop.id, r.memberKey);
    if (r.doorPass) saveDoorPass(r.doorPass);
    if (r.learnerToken) {
      // Rejoined as themselves from another browser: this browser becomes that learner.
      saveLearnerToken(r.learnerToken);
      this.socket.reconnect();
    }
    return r.workshop;
  }

  async leave(): Promise<void> {
    await this.requests.send({ type: 'workshop-leave' }, 'workshop');
  }

  // --- instructors --------------------------------------------------------------

  async create(title: string, lessonIds: string[], endsAt: string | null, roomSize: number): Promise<WorkshopSummary> {
    return (await this.requests.send({ type: 'workshop-create', title, lessonIds, roomSize, ...(endsAt ? { endsAt } : {}) }, 'workshop-created')).workshop;
  }

  /** How many students the room takes; a student beyond it is told the room is full. */
  setRoomSize(workshopId: string, roomSize: number): void {
    this.socket.send({ type: 'workshop-room-size', requestId: `wrs-${Date.now().toString(36)}`, workshopId, roomSize });
  }

  async list(): Promise<WorkshopSummary[]> {
    return (await this.requests.send({ type: 'workshop-list' }, 'workshop-list')).workshops;
  }

  /** Follows a workshop's dashboard until the returned function is called (through reconnects). */
  watch(workshopId: string, listener: (d: Dashboard) => void): () => void {
    let set = this.dashboards.get(workshopId);
    if (!set) {
      this.dashboards.set(workshopId, (set = new Set()));
      this.socket.send({ type: 'workshop-watch', requestId: `ww-${workshopId}`, workshopId });
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size > 0) return;
      this.dashboards.delete(workshopId);
      this.socket.send({ type: 'workshop-unwatch', workshopId });
    };
  }

  setLessons(workshopId: string, lessons: Array<{ id: string; open: boolean }>): void {
    this.socket.send({ type: 'workshop-lessons', requestId: `wl-${Date.now().toString(36)}`, workshopId, lessons });
  }

  broadcast(workshopId: string, message: string): boolean {
    return this.socket.send({ type: 'workshop-broadcast', requestId: `wb-${Date.now().toString(36)}`, workshopId, message });
  }

  end(workshopId: string): void {
    this.socket.send({ type: 'workshop-end', requestId: `we-${Date.now().toString(36)}`, workshopId });
  }

  remove(workshopId: string, learnerId: string): void {
    this.socket.send({ type: 'workshop-remove', requestId: `wr-${Date.now().toString(36)}`, workshopId, learnerId });
  }

  async exportCsv(workshopId: string): Promise<{ fileName: string; csv: string }> {
    const r = await this.requests.send({ type: 'workshop-export', workshopId }, 'workshop-export');
    return { fileName: r.fileName, csv: r.csv };
  }

  /** Follows one student's code in one lesson (one drop-in at a time); null stops. */
  follow(target: { workshopId: string; learnerId: string; lessonId: string } | null, listener: (d: DropIn) => void = () => {}): void {
    if (this.dropIn && !target) this.socket.send({ type: 'drop-out', workshopId: this.dropIn.workshopId });
    this.dropIn = target ? { ...target, listener } : null;
    if (target) this.socket.send({ type: 'drop-in', requestId: 'di', ...target });
  }
}
