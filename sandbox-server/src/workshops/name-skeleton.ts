import { normaliseDisplayName } from '@jaillab/protocol';

/**
 * The common confusables of Unicode TR39 (confusables.txt), folded to lower
 * case: letters of other scripts that look like Latin ones, digits and signs
 * that look like letters, and the letter pairs a screen shows as one. A
 * compact table, not the whole file (about 6,000 entries): it covers the
 * Cyrillic, Greek, Armenian and Cherokee look-alikes of the Latin alphabet
 * that a keyboard layout can type, which is how a student fakes a classmate's
 * name; exotic scripts and symbols beyond it stay distinct (NFKC has already
 * folded full-width, mathematical and compatibility forms).
 */
const CONFUSABLES: ReadonlyArray<[string, string]> = [
  // Cyrillic
  ['а', 'a'], ['в', 'b'], ['ь', 'b'], ['с', 'c'], ['ԁ', 'd'], ['е', 'e'], ['һ', 'h'], ['н', 'h'], ['і', 'i'],
  ['ј', 'j'], ['к', 'k'], ['ӏ', 'l'], ['м', 'm'], ['п', 'n'], ['о', 'o'], ['р', 'p'], ['ԛ', 'q'], ['г', 'r'], ['ѕ', 's'], ['т', 't'],
  ['ц', 'u'], ['ѵ', 'v'], ['ԝ', 'w'], ['х', 'x'], ['у', 'y'], ['ү', 'y'], ['з', '3'], ['ԑ', 'e'], ['ɡ', 'g'],
  // Greek
  ['α', 'a'], ['β', 'b'], ['ϲ', 'c'], ['ε', 'e'], ['η', 'n'], ['ι', 'i'], ['κ', 'k'], ['ν', 'v'], ['ο', 'o'], ['ρ', 'p'], ['τ', 't'],
  ['υ', 'u'], ['χ', 'x'], ['γ', 'y'], ['ω', 'w'], ['ϳ', 'j'], ['ζ', 'z'],
  // Armenian and Cherokee look-alikes of Latin letters
  ['օ', 'o'], ['ս', 'u'], ['հ', 'h'], ['ո', 'n'], ['ց', 'g'], ['ꮪ', 's'], ['ꭺ', 'a'], ['ꮯ', 'c'],
  // Latin letters of other alphabets that look like the basic ones
  ['ı', 'i'], ['ɩ', 'i'], ['ℓ', 'l'], ['ɑ', 'a'], ['ʋ', 'u'], ['ɒ', 'a'], ['ƅ', 'b'],
  // Digits and signs that look like letters
  ['0', 'o'], ['1', 'l'], ['|', 'l'],
];
/** Sequences a screen shows as one letter ("rn" as "m"), replaced after the single letters. */
const CONFUSABLE_PAIRS: ReadonlyArray<[string, string]> = [['rn', 'm'], ['vv', 'w'], ['cl', 'd']];

const SINGLE = new Map(CONFUSABLES);

/**
 * How names compare in a room: the TR39 skeleton of the normalised name
 * (protocol/src/display-name.ts), case-folded. "Bob", "bob", "B\u043Eb",
 * "Bob\u200B", "Ｂｏｂ" and "B0b" are one name; "José" composed or decomposed
 * too. The name shown stays the one the student typed (normalised).
 */
export function nameSkeleton(name: string): string {
  let s = '';
  // Letters that case-fold to a base letter plus a mark are compared on their decomposed form, as TR39 does.
  for (const ch of normaliseDisplayName(name).toLowerCase().normalize('NFD')) {
    const mapped = SINGLE.get(ch) ?? ch;
    // Case folding made "I" an "i"; "I" and "l" look alike in many fonts (TR39 maps "I", "1", "|" to "l"), so
    // every i is compared as l: "Ian" and "lan" are one name (and, the price of it, "Ali" and "All").
    s += mapped === 'i' ? 'l' : mapped;
  }
  for (const [pair, one] of CONFUSABLE_PAIRS) s = s.split(pair).join(one);
  return s.normalize('NFC');
}
