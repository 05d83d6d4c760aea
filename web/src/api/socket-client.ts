import { ClientMessage, decodeOutputFrame, HEARTBEAT_INTERVAL_MS, type OutputFrame, ServerMessage, socketProtocols } from '@jaillab/protocol';
import type { ConnectionState, Welcome } from './connection-state.js';
import { initialConnectionState } from './connection-state.js';
import { loadDoorPass, saveDoorPass } from './door-pass.js';
import { Emitter } from './emitter.js';
import { loadInstructorToken, saveInstructorToken } from './instructor-token.js';
import { loadLearnerToken, saveLearnerToken } from './learner-token.js';
import { reconnectDelayMs } from './reconnect-delay.js';

/** The server closes a socket that has not said hello within 10 s; we give up on a silent one a little later. */
const WELCOME_TIMEOUT_MS = 12_000;
/** A socket that stayed up this long was working: losing it earns an immediate retry and a fresh backoff. */
const STABLE_AFTER_MS = 5_000;

/** Something the server sent that this page could not read: a bug, or a page older than the server. */
export interface ProtocolProblem {
  message: string;
}

/** Output from the server, tagged with the socket it came on (acks only make sense on that socket). */
export interface ReceivedOutput {
  frame: OutputFrame;
  generation: number;
}

/**
 * The browser's end of JailLab's one WebSocket (/ws, same origin).
 *
 * - Offers the door pass it was given (a workshop member's, an instructor's) at
 *   the upgrade, says `hello` first with the learner token from localStorage,
 *   and stores the token and pass the server returns in `welcome`.
 * - Sends a `heartbeat` while connected: the server closes sockets that say nothing.
 * - Validates every incoming message with the protocol's zod schemas; anything
 *   else is reported as a problem, never acted on.
 * - Reconnects on its own with backoff, forever, and publishes its state so the
 *   page can show it. Each socket is a "generation": channels and flow-control
 *   counts belong to one socket and die with it.
 *
 * Runs are handled one level up (run-streams.ts); this class only moves messages.
 */
export class SocketClient {
  readonly stateChanged = new Emitter<ConnectionState>();
  /** Fires after every successful hello (first connect and each reconnect). */
  readonly welcomed = new Emitter<{ welcome: Welcome; generation: number }>();
  /** Fires when a welcomed socket is lost. */
  readonly disconnected = new Emitter<{ generation: number }>();
  readonly message = new Emitter<ServerMessage>();
  readonly output = new Emitter<ReceivedOutput>();
  readonly problem = new Emitter<ProtocolProblem>();
  /** The server refused the instructor token this browser had: it was forgotten, and the page reconnects without. */
  readonly instructorRefused = new Emitter<string>();

  private ws: WebSocket | null = null;
  private generation = 0;
  private attempt = 0;
  private retryTimer: number | undefined;
  private welcomeTimer: number | undefined;
  private heartbeatTimer: number | undefined;
  private started = false;
  private disposed = false;
  private current: ConnectionState = initialConnectionState;
  /** Why the last socket closed, shown while reconnecting. */
  private lastError: string | null = null;
  private welcomedAt = 0;
  private lastWelcomeMsg: Welcome | null = null;

  constructor(private readonly url: string = defaultSocketUrl()) {}

  get state(): ConnectionState {
    return this.current;
  }

  /** What the server said at the last hello: still known while reconnecting (limits, accelerator). */
  get lastWelcome(): Welcome | null {
    return this.lastWelcomeMsg;
  }

  /** The socket messages are being sent on now; output acks carry it to avoid crediting a new socket for old bytes. */
  get currentGeneration(): number {
    return this.generation;
  }

  start(): void {
    if (this.started || this.disposed) return;
    this.started = true;
    window.addEventListener('online', this.onBrowserOnline);
    this.open();
  }

  dispose(): void {
    this.disposed = true;
    window.removeEventListener('online', this.onBrowserOnline);
    window.clearTimeout(this.retryTimer);
    window.clearTimeout(this.welcomeTimer);
    window.clearInterval(this.heartbeatTimer);
    this.ws?.close(1000, 'page closed');
    this.ws = null;
  }

  /** Says hello again on a new socket: after this browser became another learner, or took the instructor token. */
  reconnect(): void {
    this.attempt = 0;
    this.welcomedAt = 0; // counts as a stable socket: the next one opens at once, no backoff
    if (this.ws) this.ws.close(4001, 'reconnecting');
    else this.retryNow();
  }

  /** Skip the rest of the backoff wait (the banner's "Reconnect now"). */
  retryNow(): void {
    if (this.disposed || this.current.status !== 'disconnected') return;
    window.clearTimeout(this.retryTimer);
    this.open();
  }

  /**
   * Sends a message on the welcomed socket. Returns false (and sends nothing) when
   * not connected: callers decide whether that is an error (a run) or harmless (an ack).
   */
  send(msg: ClientMessage): boolean {
    if (this.current.status !== 'connected' || !this.ws || this.ws.readyState !== WebSocket.OPEN) return false;
    // Our own bug must not reach the server as a mystery: check what we send with the same schema it uses.
    const checked = ClientMessage.safeParse(msg);
    if (!checked.success) throw new Error(`refusing to send an invalid ${msg.type} message: ${checked.error.issues[0]?.message ?? 'invalid'}`);
    this.ws.send(JSON.stringify(msg));
    return true;
  }

  /** Flow control: `bytes` of output received on socket `generation` have been written to a terminal. */
  ack(bytes: number, generation: number): void {
    // The server counts unacknowledged bytes per socket; a new socket starts at zero.
    if (bytes <= 0 || generation !== this.generation) return;
    this.send({ type: 'ack', bytes });
  }

  private readonly onBrowserOnline = (): void => this.retryNow();

  private setState(next: ConnectionState): void {
    this.current = next;
    this.stateChanged.emit(next);
  }

  private open(): void {
    const generation = ++this.generation;
    this.setState({ status: 'connecting', attempt: this.attempt, lastError: this.lastError });
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.url, socketProtocols(loadDoorPass()));
    } catch (e) {
      this.lost(generation, `cannot open the socket: ${(e as Error).message}`);
      return;
    }
    ws.binaryType = 'arraybuffer';
    this.ws = ws;
    ws.onopen = () => {
      const learnerToken = loadLearnerToken();
      const instructorToken = loadInstructorToken();
      ws.send(JSON.stringify({ type: 'hello', ...(learnerToken ? { learnerToken } : {}), ...(instructorToken ? { instructorToken } : {}) } satisfies ClientMessage));
      this.welcomeTimer = window.setTimeout(() => ws.close(4000, 'no welcome'), WELCOME_TIMEOUT_MS);
    };
    ws.onmessage = (e: MessageEvent<string | ArrayBuffer>) => {
      if (generation === this.generation) this.receive(e.data, generation);
    };
    ws.onclose = (e) => {
      const reason = e.reason || (e.code === 1006 ? 'the server cannot be reached' : `closed (${e.code})`);
      this.lost(generation, reason);
    };
  }

  private lost(generation: number, reason: string): void {
    if (generation !== this.generation || this.disposed) return;
    window.clearTimeout(this.welcomeTimer);
    window.clearInterval(this.heartbeatTimer);
    const wasWelcomed = this.current.status === 'connected';
    this.ws = null;
    this.lastError = reason;
    if (wasWelcomed) this.disconnected.emit({ generation });
    // A socket that was working gets an immediate retry (a server restart, a network blip), then backoff.
    // One that keeps dropping right after hello backs off like a failed connect: no reconnect storm.
    const wasStable = wasWelcomed && Date.now() - this.welcomedAt >= STABLE_AFTER_MS;
    if (wasStable) this.attempt = 0;
    const delay = wasStable ? 0 : reconnectDelayMs(this.attempt);
    this.attempt++;
    this.setState({ status: 'disconnected', attempt: this.attempt, retryAt: Date.now() + delay, lastError: reason });
    this.retryTimer = window.setTimeout(() => this.open(), delay);
  }

  private receive(data: string | ArrayBuffer, generation: number): void {
    if (typeof data !== 'string') {
      const frame = decodeOutputFrame(new Uint8Array(data));
      if (frame) this.output.emit({ frame, generation });
      else this.problem.emit({ message: 'the server sent a binary frame this page cannot read' });
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(data);
    } catch {
      this.problem.emit({ message: 'the server sent a message that is not JSON' });
      return;
    }
    const parsed = ServerMessage.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      this.problem.emit({ message: `the server sent a message this page does not understand (${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'}); reloading the page may help` });
      return;
    }
    const msg = parsed.data;
    if (msg.type === 'error' && msg.code === 'forbidden' && this.current.status !== 'connected' && loadInstructorToken()) {
      // The hello was refused for its instructor token (mistyped, or the server's was changed): forget it
      // and come back as a learner, rather than never connecting at all.
      saveInstructorToken(null);
      this.instructorRefused.emit(msg.message);
      this.ws?.close(4002, 'instructor token refused');
      return;
    }
    if (msg.type === 'welcome') {
      window.clearTimeout(this.welcomeTimer);
      if (msg.learnerToken) saveLearnerToken(msg.learnerToken);
      if (msg.doorPass) saveDoorPass(msg.doorPass);
      window.clearInterval(this.heartbeatTimer);
      this.heartbeatTimer = window.setInterval(() => this.send({ type: 'heartbeat' }), HEARTBEAT_INTERVAL_MS);
      this.welcomedAt = Date.now();
      this.lastError = null;
      this.lastWelcomeMsg = msg;
      this.setState({ status: 'connected', welcome: msg });
      this.welcomed.emit({ welcome: msg, generation });
      return;
    }
    this.message.emit(msg);
  }
}

/** ws:// or wss:// on this page's own host: the server's CSP and Origin check both expect same-origin. */
export function defaultSocketUrl(): string {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/ws`;
}
