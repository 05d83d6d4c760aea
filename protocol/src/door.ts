import { z } from 'zod';

/**
 * How a socket says who it is before it is let in, and how it stays in.
 *
 * A workshop's room often sits behind one address (a school's NAT, the
 * reverse proxy): counting every socket against that address lets one student
 * fill it. So a member of a workshop in progress, and an instructor, present a
 * door pass at the upgrade, as a WebSocket subprotocol beside `jaillab`; the
 * server counts that socket against its member (or the instructors) from the
 * first byte, never against the address. A pass proves only that the server
 * issued it to that learner: it opens no door by itself (hello still says who
 * the socket is), so a leaked pass lets nobody act as anyone.
 */

/** The subprotocol every JailLab socket asks for (the server picks it). */
export const SOCKET_SUBPROTOCOL = 'jaillab';
/** A door pass rides as the subprotocol `jaillab-pass.<pass>`. */
export const DOOR_PASS_SUBPROTOCOL_PREFIX = 'jaillab-pass.';

/** Subprotocol token characters only (RFC 6455): letters, digits, `_`, `-`, `.`. */
export const DoorPass = z.string().regex(/^[A-Za-z0-9_.-]{8,128}$/);
export type DoorPass = z.infer<typeof DoorPass>;

/** The subprotocols a client offers: `jaillab` first (the one the server selects), then the pass if it has one. */
export function socketProtocols(pass: string | null | undefined): string[] {
  return pass && DoorPass.safeParse(pass).success ? [SOCKET_SUBPROTOCOL, DOOR_PASS_SUBPROTOCOL_PREFIX + pass] : [SOCKET_SUBPROTOCOL];
}

/**
 * A socket that said hello and then nothing for this long is closed. Clients send a `heartbeat` well inside
 * it: a background tab's timers may be slowed to once a minute, so the margin is wide.
 */
export const SOCKET_IDLE_TIMEOUT_MS = 90_000;
export const HEARTBEAT_INTERVAL_MS = 25_000;
