import type { TraceStep, TraceWhere } from '@jaillab/protocol';
import { callText, type Mark, placeOf, stepDetail } from './trace-view.js';

/**
 * A replay step in words, for the replay's table and for the sentence the
 * screen reader hears when a step is highlighted: nothing here relies on
 * the colours or positions of the timeline's picture.
 */

export const PLACE_WORD = { inside: 'inside', outside: 'outside', 'above-root': 'above its root', elsewhere: 'another namespace' } as const;

export const MARK_LABEL: Record<Mark, string> = { outside: 'first step outside the jail', secret: 'read the secret', refused: 'refused' };

/** "inside the jail (/jail/tmp)", "outside the jail (/outside)". */
export function whereWords(w: TraceWhere | null): string {
  if (!w) return 'not known';
  const place = placeOf(w);
  return `${place === 'inside' || place === 'outside' ? `${PLACE_WORD[place]} the jail` : PLACE_WORD[place]} (${w.path})`;
}

/** The call's result on its own: "3", "0", "-1 ENOENT", "?" (the process did not come back from it). */
export function resultText(s: TraceStep): string {
  if (s.result === null) return '?';
  return s.errno ? `-1 ${s.errno}` : String(s.result);
}

/** A mark's words, with the errno for a refused call. */
export function markWords(m: Mark, s: TraceStep): string {
  return m === 'refused' && s.errno ? `${MARK_LABEL[m]}: ${s.errno}` : MARK_LABEL[m];
}

/** The whole step as one sentence: who, the call and result, what is marked about it, where root and cwd are after it. */
export function stepSentence(s: TraceStep, marks: readonly Mark[], place: { root: TraceWhere | null; cwd: TraceWhere | null } | undefined): string {
  const parts = [`Step ${s.i + 1}, ${s.proc} ${s.pid}: ${callText(s)}.`];
  if (marks.length) parts.push(`${marks.map((m) => markWords(m, s)).join('; ')}.`.replace(/^./, (c) => c.toUpperCase()));
  const detail = stepDetail(s);
  if (detail) parts.push(`${detail}.`);
  if (place?.root || place?.cwd) parts.push(`Root ${whereWords(place.root)}, cwd ${whereWords(place.cwd)}.`);
  return parts.join(' ');
}
