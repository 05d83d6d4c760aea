import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { MAX_PENDING_PER_ADDRESS, MAX_SOCKETS_PER_ADDRESS, MAX_SOCKETS_PER_MEMBER, SocketGate } from './socket-gate.js';

const from = (address: string): IncomingMessage => ({ headers: {}, socket: { remoteAddress: address } }) as unknown as IncomingMessage;

describe('the socket gate', () => {
  it('counts a workshop room per student, not per address: forty students with two tabs each get in', () => {
    const gate = new SocketGate([]);
    for (let student = 0; student < 40; student++)
      for (let tab = 0; tab < 2; tab++) {
        expect(gate.check(from('10.0.0.1'))).toBeNull();
        expect(gate.opened(from('10.0.0.1')).settle({ member: `l_${student}` })).toBeNull();
      }
    // The room takes none of the address's own quota: someone outside the workshop still gets in.
    expect(gate.opened(from('10.0.0.1')).settle('address')).toBeNull();
  });

  it('moves a socket to its student\'s count when the learner joins a workshop', () => {
    const gate = new SocketGate([]);
    const tickets = Array.from({ length: MAX_SOCKETS_PER_ADDRESS }, () => gate.opened(from('10.0.0.5')));
    for (const t of tickets) expect(t.settle('address')).toBeNull();
    expect(gate.check(from('10.0.0.5'))).toMatch(/too many/);
    tickets.forEach((t, i) => expect(t.settle({ member: `l_${i}` })).toBeNull());
    expect(gate.check(from('10.0.0.5'))).toBeNull();
  });

  it('still stops one address opening many identities outside a workshop', () => {
    const gate = new SocketGate([]);
    const tickets = Array.from({ length: MAX_SOCKETS_PER_ADDRESS }, () => gate.opened(from('10.0.0.2')));
    for (const t of tickets) expect(t.settle('address')).toBeNull();
    expect(gate.check(from('10.0.0.2'))).toMatch(/too many connections/);
    expect(gate.opened(from('10.0.0.2')).settle('address')).toMatch(/too many connections/);
    tickets[0]!.release();
    expect(gate.check(from('10.0.0.2'))).toBeNull();
    expect(gate.check(from('10.0.0.3'))).toBeNull();
  });

  it('bounds sockets that never say hello, and one student\'s sockets', () => {
    const gate = new SocketGate([]);
    const pending = Array.from({ length: MAX_PENDING_PER_ADDRESS }, () => gate.opened(from('10.0.0.4')));
    expect(gate.check(from('10.0.0.4'))).toMatch(/not said hello/);
    for (const t of pending) t.release();
    expect(gate.check(from('10.0.0.4'))).toBeNull();
    for (let i = 0; i < MAX_SOCKETS_PER_MEMBER; i++) expect(gate.opened(from('10.0.0.4')).settle({ member: 'l_x' })).toBeNull();
    expect(gate.opened(from('10.0.0.4')).settle({ member: 'l_x' })).toMatch(/one student/);
  });
});
