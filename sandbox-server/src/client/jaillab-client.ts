import { randomBytes } from 'node:crypto';
import { decodeOutputFrame, type ExtraProbe, HEARTBEAT_INTERVAL_MS, type RunEvent, ServerMessage, socketProtocols } from '@jaillab/protocol';
import WebSocket from 'ws';

/**
 * A Node client for JailLab's socket API: the same messages the browser sends.
 * The CLI, the benchmark and the integration tests all drive the server
 * through it, so they exercise the path learners use.
 */

export type Welcome = Extract<ServerMessage, { type: 'welcome' }>;
export type FinishedEvent = Extract<RunEvent, { type: 'finished' }>;

export interface RunResult {
  runId: string;
  events: RunEvent[];
  /** Output by check index. */
  output: Map<number, Buffer>;
  finished: FinishedEvent;
}

export interface RunOptions {
  extraProbes?: ExtraProbe[];
  /** Record the escape replay (the server's default: on). */
  trace?: boolean;
  onEvent?: (event: RunEvent) => void;
  onOutput?: (checkIndex: number, data: Buffer) => void;
}

export class ServerError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface Pending {
  requestId: string;
  channel: number | null;
  runId: string | null;
  result: { events: RunEvent[]; output: Map<number, Buffer> };
  opts: RunOptions;
  resolve: (r: RunResult) => void;
  reject: (e: Error) => void;
}

export class JailLabClient {
  private readonly pending = new Map<string, Pending>();
  private readonly byChannel = new Map<number, Pending>();
  private readonly listeners = new Set<(msg: ServerMessage) => void>();
  private readonly heartbeat: NodeJS.Timeout;

  private constructor(
    private readonly ws: WebSocket,
    readonly welcome: Welcome,
  ) {
    ws.on('message', (data: Buffer, isBinary) => this.onMessage(data, isBinary));
    // The server closes a socket that says nothing for a while (a run waiting in the queue is such a while).
    this.heartbeat = setInterval(() => {
      if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: 'heartbeat' }));
    }, HEARTBEAT_INTERVAL_MS);
    this.heartbeat.unref();
    ws.on('close', () => {
      clearInterval(this.heartbeat);
      for (const p of this.pending.values()) p.reject(new Error('the connection to the server closed'));
      this.pending.clear();
    });
  }

  /** `doorPass`: a member's or an instructor's pass from an earlier welcome, presented at the upgrade (protocol/src/door.ts). */
  static async connect(baseUrl: string, opts: { learnerToken?: string; instructorToken?: string; doorPass?: string } = {}): Promise<JailLabClient> {
    const url = baseUrl.replace(/^http/, 'ws').replace(/\/$/, '') + '/ws';
    const { doorPass, ...hello } = opts;
    const ws = new WebSocket(url, socketProtocols(doorPass), { origin: baseUrl.replace(/\/$/, '') });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const welcome = await new Promise<Welcome>((resolve, reject) => {
      ws.once('message', (data: Buffer) => {
        const msg = ServerMessage.parse(JSON.parse(data.toString()));
        if (msg.type === 'welcome') resolve(msg);
        else reject(new ServerError(msg.type === 'error' ? msg.code : 'protocol', msg.type === 'error' ? msg.message : `expected welcome, got ${msg.type}`));
      });
      ws.send(JSON.stringify({ type: 'hello', ...hello }));
    });
    return new JailLabClient(ws, welcome);
  }

  /** Starts a run and resolves with everything it produced once it has finished. */
  run(lessonId: string, source: string, opts: RunOptions = {}): Promise<RunResult> {
    const requestId = randomBytes(6).toString('hex');
    return new Promise((resolve, reject) => {
      // ws drops what is sent on a closed socket without a word: say so instead of waiting forever.
      if (this.ws.readyState !== WebSocket.OPEN) return reject(new Error('the connection to the server is closed'));
      this.pending.set(requestId, { requestId, channel: null, runId: null, result: { events: [], output: new Map() }, opts, resolve, reject });
      this.ws.send(JSON.stringify({ type: 'run', requestId, lessonId, source, ...(opts.extraProbes ? { extraProbes: opts.extraProbes } : {}), ...(opts.trace === undefined ? {} : { trace: opts.trace }) }));
    });
  }

  /** Follows an existing run of this learner from its first event (after a reconnect) until it has finished. */
  watch(runId: string, opts: RunOptions = {}): Promise<RunResult> {
    const requestId = randomBytes(6).toString('hex');
    return new Promise((resolve, reject) => {
      if (this.ws.readyState !== WebSocket.OPEN) return reject(new Error('the connection to the server is closed'));
      this.pending.set(requestId, { requestId, channel: null, runId: null, result: { events: [], output: new Map() }, opts, resolve, reject });
      this.ws.send(JSON.stringify({ type: 'watch', requestId, runId }));
    });
  }

  cancel(runId: string): void {
    this.ws.send(JSON.stringify({ type: 'cancel', runId }));
  }

  /** Every JSON message from the server, as it arrives (pushes: a workshop's dashboard, a member's view). */
  on(listener: (msg: ServerMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The next message that `match` accepts (one already sent is not seen: listen first, then act). */
  next<T extends ServerMessage>(match: (msg: ServerMessage) => msg is T, timeoutMs?: number): Promise<T>;
  next(match: (msg: ServerMessage) => boolean, timeoutMs?: number): Promise<ServerMessage>;
  next<T extends ServerMessage>(match: (msg: ServerMessage) => boolean, timeoutMs = 30_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error(`no matching message from the server within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      const off = this.on((msg) => {
        if (!match(msg)) return;
        clearTimeout(timer);
        off();
        resolve(msg as T);
      });
    });
  }

  /**
   * Sends a request (a requestId is added) and resolves with the reply of `type` carrying that id, or
   * rejects with the ServerError the server answered it with.
   */
  request<K extends ServerMessage['type']>(msg: { type: string } & Record<string, unknown>, type: K, timeoutMs = 30_000): Promise<Extract<ServerMessage, { type: K }>> {
    const requestId = randomBytes(6).toString('hex');
    const reply = new Promise<Extract<ServerMessage, { type: K }>>((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error(`no ${type} from the server within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      const off = this.on((m) => {
        if (!('requestId' in m) || m.requestId !== requestId) return;
        if (m.type !== type && m.type !== 'error') return;
        clearTimeout(timer);
        off();
        if (m.type === 'error') reject(new ServerError(m.code, m.message));
        else resolve(m as Extract<ServerMessage, { type: K }>);
      });
    });
    this.ws.send(JSON.stringify({ ...msg, requestId }));
    return reply;
  }

  /** Sends a message that gets no reply of its own. */
  send(msg: { type: string } & Record<string, unknown>): void {
    this.ws.send(JSON.stringify(msg));
  }

  /** Sends anything at all: the tests use this to send what a well-behaved client never would. */
  sendRaw(data: string | Buffer): void {
    this.ws.send(data);
  }

  close(): void {
    this.ws.close();
  }

  private onMessage(data: Buffer, isBinary: boolean): void {
    if (isBinary) {
      const frame = decodeOutputFrame(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      if (!frame) return;
      const p = this.byChannel.get(frame.channel);
      const chunk = Buffer.from(frame.data);
      if (p) {
        const prev = p.result.output.get(frame.checkIndex);
        p.result.output.set(frame.checkIndex, prev ? Buffer.concat([prev, chunk]) : chunk);
        p.opts.onOutput?.(frame.checkIndex, chunk);
      }
      // Acknowledge at once: this client keeps everything in memory, it never falls behind.
      this.ws.send(JSON.stringify({ type: 'ack', bytes: chunk.byteLength }));
      return;
    }
    const msg = ServerMessage.parse(JSON.parse(data.toString()));
    for (const l of [...this.listeners]) l(msg);
    if (msg.type === 'run-accepted') {
      const p = this.pending.get(msg.requestId);
      if (!p) return;
      p.channel = msg.channel;
      p.runId = msg.runId;
      this.byChannel.set(msg.channel, p);
    } else if (msg.type === 'run-event') {
      const p = this.byChannel.get(msg.channel);
      if (!p) return;
      p.result.events.push(msg.event);
      p.opts.onEvent?.(msg.event);
      if (msg.event.type === 'finished') {
        this.pending.delete(p.requestId);
        this.byChannel.delete(msg.channel);
        p.resolve({ runId: p.runId!, events: p.result.events, output: p.result.output, finished: msg.event });
      }
    } else if (msg.type === 'error' && msg.requestId) {
      const p = this.pending.get(msg.requestId);
      if (!p) return;
      this.pending.delete(msg.requestId);
      p.reject(new ServerError(msg.code, msg.message));
    }
  }
}
