import type { LessonStatus, RunRecord, SavedCode, ServerMessage } from '@jaillab/protocol';
import { Emitter } from './emitter.js';
import { Requests } from './requests.js';
import type { SocketClient } from './socket-client.js';

export type LessonState = Extract<ServerMessage, { type: 'lesson-state' }>;
export type Progress = Record<string, LessonStatus>;

let counter = 0;
const newRequestId = (): string => `w${Date.now().toString(36)}-${(++counter).toString(36)}`;

/**
 * What the server keeps of the learner's workspace: code per lesson, progress,
 * hints revealed. Requests wait for the connection; progress is refreshed on
 * every (re)connect and pushed by the server whenever a run finishes.
 */
export class WorkspaceClient {
  readonly progressChanged = new Emitter<Progress>();
  /** Lessons passed only after looking at the solution. */
  private withSolutionNow: ReadonlySet<string> = new Set();
  /** The server confirmed a save: it now holds the lesson's code as of `editedAt` (or newer). */
  readonly codeSaved = new Emitter<{ lessonId: string; editedAt: number }>();
  private progressNow: Progress = {};
  private readonly pending = new Map<string, { lessonId: string; resolve: (s: LessonState) => void }>();
  /** Lesson-state requests made while offline: sent on the next welcome. */
  private readonly queued: Array<{ requestId: string; lessonId: string }> = [];

  private readonly requests: Requests;

  constructor(private readonly socket: SocketClient) {
    this.requests = new Requests(socket);
    socket.welcomed.on(() => {
      socket.send({ type: 'progress-get', requestId: newRequestId() });
      for (const q of this.queued.splice(0)) socket.send({ type: 'lesson-state-get', requestId: q.requestId, lessonId: q.lessonId });
    });
    socket.disconnected.on(() => {
      // Replies to requests on the lost socket will never come: ask again on the next one.
      for (const [requestId, p] of this.pending) this.queued.push({ requestId, lessonId: p.lessonId });
    });
    socket.message.on((msg) => {
      if (msg.type === 'progress') {
        this.progressNow = msg.lessons;
        this.withSolutionNow = new Set(msg.withSolution ?? []);
        this.progressChanged.emit(msg.lessons);
      } else if (msg.type === 'code-saved') {
        this.codeSaved.emit({ lessonId: msg.lessonId, editedAt: msg.editedAt });
      } else if (msg.type === 'lesson-state') {
        const p = this.pending.get(msg.requestId);
        this.pending.delete(msg.requestId);
        p?.resolve(msg);
      }
    });
  }

  get progress(): Progress {
    return this.progressNow;
  }

  /** Passed, but only after the learner had looked at the solution ("passed with the solution"). */
  passedWithSolution(lessonId: string): boolean {
    return this.withSolutionNow.has(lessonId);
  }

  /** The server's copy of a lesson's workspace (waits for a connection if there is none). */
  lessonState(lessonId: string): Promise<LessonState> {
    return new Promise((resolve) => {
      const requestId = newRequestId();
      this.pending.set(requestId, { lessonId, resolve });
      if (!this.socket.send({ type: 'lesson-state-get', requestId, lessonId })) this.queued.push({ requestId, lessonId });
    });
  }

  /** Returns false when not connected: the caller keeps the save for later. */
  saveCode(lessonId: string, code: SavedCode): boolean {
    try {
      return this.socket.send({ type: 'code-save', lessonId, code });
    } catch {
      // Larger than a save may be (the schema refused it): it stays in this browser, and Run says why it is too large.
      return false;
    }
  }

  revealHint(lessonId: string, index: number): void {
    this.socket.send({ type: 'hint-reveal', lessonId, index });
  }

  /** A lesson just passed here: show it at once (the server's push confirms it). */
  markLocally(lessonId: string, status: LessonStatus): void {
    if (this.progressNow[lessonId] === 'passed' || this.progressNow[lessonId] === status) return;
    this.progressNow = { ...this.progressNow, [lessonId]: status };
    this.progressChanged.emit(this.progressNow);
  }

  /** Resolves once the socket is welcomed (at once if it is). */
  private connected(): Promise<void> {
    if (this.socket.state.status === 'connected') return Promise.resolve();
    return new Promise((resolve) => {
      const off = this.socket.welcomed.on(() => {
        off();
        resolve();
      });
    });
  }

  /** The lesson's solution; the server records that this learner looked at it ("passed with the solution"). */
  async solution(lessonId: string): Promise<{ fileName: string; source: string }> {
    const r = await this.requests.send({ type: 'solution-get', lessonId }, 'solution');
    return { fileName: r.fileName, source: r.source };
  }

  /** A last run of a lesson as the server keeps it (events and output); an instructor may name a workshop student. */
  async runRecord(lessonId: string, learnerId?: string): Promise<RunRecord | null> {
    await this.connected();
    return (await this.requests.send({ type: 'run-record-get', lessonId, ...(learnerId ? { learnerId } : {}) }, 'run-record')).record;
  }
}
