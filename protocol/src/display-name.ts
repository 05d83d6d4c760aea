/**
 * What a workshop name is made of, the same at both ends: Unicode NFKC (so
 * "Ｂｏｂ" is "Bob" and a decomposed "José" the composed one), without control,
 * format, private-use or unassigned characters (NUL, ESC, BEL, bidi overrides
 * such as U+202E, zero-width spaces and joiners, the word joiner, soft
 * hyphens), whitespace runs as one space, trimmed. An emoji joined with a
 * zero-width joiner falls apart into its pieces: the price of refusing
 * invisible characters in names an instructor reads.
 */
export function normaliseDisplayName(raw: string): string {
  return raw
    .normalize('NFKC')
    .replace(/[\p{C}]/gu, '')
    .replace(/\s+/gu, ' ')
    .trim();
}
