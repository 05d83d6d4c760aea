/**
 * Sizes both ends agree on. The server enforces them; the browser uses them to
 * refuse early with a friendly message instead of a round trip.
 */

/** A learner's C source. Jail programs are small; 128 KiB is generous and keeps gcc's worst case bounded. */
export const MAX_SOURCE_BYTES = 128 * 1024;

/** One text frame on the socket: a run request carrying a full-size source plus its envelope. */
export const MAX_TEXT_MESSAGE_BYTES = MAX_SOURCE_BYTES * 2 + 16 * 1024;

/** Flow control: the server stops sending output to a socket with this many bytes unacknowledged… */
export const OUTPUT_HIGH_WATER_BYTES = 256 * 1024;
/** …and resumes once the browser has acknowledged enough to fall below this. */
export const OUTPUT_LOW_WATER_BYTES = 64 * 1024;
/** The browser acknowledges after writing roughly this many bytes into the terminal. */
export const OUTPUT_ACK_EVERY_BYTES = 32 * 1024;
