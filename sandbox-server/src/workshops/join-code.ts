import { randomInt } from 'node:crypto';

/** Letters and digits that cannot be misread off a projector: no 0/O, no 1/I/L. */
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

function randomWord(length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += ALPHABET[randomInt(ALPHABET.length)];
  return s;
}

/** A workshop's join code: six characters (31^6 ≈ 887 million: unguessable in a classroom's hour). */
export const newJoinCode = (): string => randomWord(6);

/** A member's key for rejoining as themselves from another browser. */
export const newMemberKey = (): string => randomWord(10);
