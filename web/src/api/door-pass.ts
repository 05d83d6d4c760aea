import { DoorPass } from '@jaillab/protocol';

/**
 * The door pass the server gave this browser as a workshop member or an
 * instructor (protocol/src/door.ts): offered at every upgrade, so a room's
 * shared address never counts this browser's sockets. It proves nothing but
 * that the server issued it, and grants nothing by itself.
 */
const KEY = 'jaillab.doorPass';

export function loadDoorPass(): string | undefined {
  try {
    const pass = localStorage.getItem(KEY);
    return pass !== null && DoorPass.safeParse(pass).success ? pass : undefined;
  } catch {
    return undefined;
  }
}

export function saveDoorPass(pass: string): void {
  try {
    localStorage.setItem(KEY, pass);
  } catch {
    // not kept: this browser is counted against its address until the next welcome
  }
}
