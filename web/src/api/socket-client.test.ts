import { HEARTBEAT_INTERVAL_MS, type ServerMessage } from '@jaillab/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SocketClient } from './socket-client.js';

/** A browser's WebSocket, as far as SocketClient uses it: records what it was offered and sent. */
class FakeBrowserSocket {
  static readonly OPEN = 1;
  static last: FakeBrowserSocket | null = null;
  readyState = 0;
  binaryType = 'blob';
  readonly sent: unknown[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((e: { data: string }) => void) | null = null;
  onclose: ((e: { code: number; reason: string }) => void) | null = null;
  constructor(
    readonly url: string,
    readonly protocols: string[] = [],
  ) {
    FakeBrowserSocket.last = this;
  }
  send(data: string): void {
    this.sent.push(JSON.parse(data));
  }
  close(): void {}
  open(): void {
    this.readyState = FakeBrowserSocket.OPEN;
    this.onopen?.();
  }
  receive(msg: ServerMessage): void {
    this.onmessage?.({ data: JSON.stringify(msg) });
  }
}

const welcome = (doorPass?: string): ServerMessage => ({
  type: 'welcome',
  learnerId: 'l_ada',
  learnerToken: 'a'.repeat(43),
  instructor: false,
  accelerator: 'kvm',
  limits: { maxSourceBytes: 1, wallTimeMsPerCheck: 1, memoryBytes: 1, processes: 1, outputBytesPerCheck: 1 },
  ...(doorPass ? { doorPass } : {}),
});

beforeEach(() => {
  vi.useFakeTimers();
  const storage = new Map<string, string>();
  vi.stubGlobal('localStorage', { getItem: (k: string) => storage.get(k) ?? null, setItem: (k: string, v: string) => void storage.set(k, v), removeItem: (k: string) => void storage.delete(k) });
  vi.stubGlobal('window', { addEventListener: () => {}, removeEventListener: () => {}, setTimeout, clearTimeout, setInterval, clearInterval });
  vi.stubGlobal('WebSocket', FakeBrowserSocket);
});
afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('the socket client at the door (issue 25)', () => {
  it('keeps the door pass a welcome brings and offers it at the next upgrade, beside "jaillab"', () => {
    const client = new SocketClient('ws://lab/ws');
    client.start();
    const first = FakeBrowserSocket.last!;
    expect(first.protocols).toEqual(['jaillab']);
    first.open();
    first.receive(welcome('m.l_ada.abcdefghijklmnopqrstuvwxyz0'));
    client.reconnect();
    first.onclose?.({ code: 4001, reason: 'reconnecting' });
    vi.advanceTimersByTime(0);
    expect(FakeBrowserSocket.last!.protocols).toEqual(['jaillab', 'jaillab-pass.m.l_ada.abcdefghijklmnopqrstuvwxyz0']);
    client.dispose();
  });

  it('sends a heartbeat while connected, so a quiet tab is not closed as idle', () => {
    const client = new SocketClient('ws://lab/ws');
    client.start();
    const ws = FakeBrowserSocket.last!;
    ws.open();
    ws.receive(welcome());
    vi.advanceTimersByTime(HEARTBEAT_INTERVAL_MS * 3);
    expect(ws.sent.filter((m) => (m as { type: string }).type === 'heartbeat')).toHaveLength(3);
    client.dispose();
  });
});
