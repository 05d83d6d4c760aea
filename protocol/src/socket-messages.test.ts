import { describe, expect, it } from 'vitest';
import { MAX_SOURCE_BYTES } from './limits.js';
import { ClientMessage, ServerMessage, utf8Length } from './socket-messages.js';

describe('client messages', () => {
  it('accept a well-formed run', () => {
    const m = ClientMessage.parse({ type: 'run', requestId: 'r1', lessonId: 'first-jail/a-jail-that-leaks', source: 'int main(){}' });
    expect(m.type).toBe('run');
  });

  it('refuse a source over the size limit, counting UTF-8 bytes, not characters', () => {
    const big = 'é'.repeat(MAX_SOURCE_BYTES / 2 + 1); // 2 bytes each
    const r = ClientMessage.safeParse({ type: 'run', requestId: 'r1', lessonId: 'a/b', source: big });
    expect(r.success).toBe(false);
    expect(ClientMessage.safeParse({ type: 'run', requestId: 'r1', lessonId: 'a/b', source: 'é'.repeat(MAX_SOURCE_BYTES / 2) }).success).toBe(true);
  });

  it('refuse unknown types, path tricks in lesson ids and negative acks', () => {
    expect(ClientMessage.safeParse({ type: 'rm-rf' }).success).toBe(false);
    expect(ClientMessage.safeParse({ type: 'run', requestId: 'r', lessonId: '../../etc/passwd', source: '' }).success).toBe(false);
    expect(ClientMessage.safeParse({ type: 'ack', bytes: -5 }).success).toBe(false);
  });

  it('count UTF-8 like the encoder does', () => {
    const cases: Array<[string, number]> = [['', 0], ['abc', 3], ['é', 2], ['€', 3], ['😀', 4], ['a😀é€\u0000', 11]];
    for (const [s, bytes] of cases) expect(utf8Length(s)).toBe(bytes);
  });
});

describe('server messages', () => {
  it('carry run events with their channel', () => {
    const m = ServerMessage.parse({ type: 'run-event', channel: 1, seq: 0, event: { type: 'queued', position: 2 } });
    expect(m.type === 'run-event' && m.event.type === 'queued' && m.event.position).toBe(2);
  });
});

describe('workspace and shell messages', () => {
  it('accept a code save and refuse one without an edit time', () => {
    expect(ClientMessage.safeParse({ type: 'code-save', lessonId: 'a/b', code: { source: 'x', editedAt: 1700000000000 } }).success).toBe(true);
    expect(ClientMessage.safeParse({ type: 'code-save', lessonId: 'a/b', code: { source: 'x' } }).success).toBe(false);
    // Bounded in UTF-8 bytes like a run's source, so it always fits in one socket message.
    expect(ClientMessage.safeParse({ type: 'code-save', lessonId: 'a/b', code: { source: 'é'.repeat(MAX_SOURCE_BYTES / 2 + 1), editedAt: 1 } }).success).toBe(false);
  });

  it('refuse shell sizes a terminal cannot have and empty input', () => {
    expect(ClientMessage.safeParse({ type: 'shell-resize', channel: 1, cols: 80, rows: 24 }).success).toBe(true);
    expect(ClientMessage.safeParse({ type: 'shell-resize', channel: 1, cols: 0, rows: 24 }).success).toBe(false);
    expect(ClientMessage.safeParse({ type: 'shell-input', channel: 1, data: '' }).success).toBe(false);
  });

  it('carry progress as a map of lesson statuses', () => {
    const m = ServerMessage.parse({ type: 'progress', lessons: { 'a/b': 'passed' } });
    expect(m.type === 'progress' && m.lessons['a/b']).toBe('passed');
    expect(ServerMessage.safeParse({ type: 'progress', lessons: { 'a/b': 'done' } }).success).toBe(false);
  });
});
