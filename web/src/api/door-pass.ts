import { DoorPass } from '@jaillab/protocol';
import { storedValue } from './stored-value.js';

/**
 * The door pass the server gave this browser as a workshop member or an
 * instructor (protocol/src/door.ts): offered at every upgrade, so a room's
 * shared address never counts this browser's sockets. It proves nothing but
 * that the server issued it, and grants nothing by itself.
 */
const stored = storedValue('jaillab.doorPass', DoorPass);

export function loadDoorPass(): string | undefined {
  return stored.load();
}

/** Offered at every upgrade; not kept (storage disabled), this browser counts against its address until the next welcome. */
export function saveDoorPass(pass: string): void {
  stored.save(pass);
}
