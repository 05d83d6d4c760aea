import type { AttackVerdict } from '@jaillab/protocol';

/** A fired probe's verdict in a grid cell: a glyph, and the word a screen reader and the tooltip say. */
export const ATTACK_GLYPH: Record<AttackVerdict, string> = { pending: '…', escaped: '✗', contained: '✓', 'no-code': '–', error: '!' };
export const ATTACK_WORD: Record<AttackVerdict, string> = { pending: 'running', escaped: 'escaped', contained: 'contained', 'no-code': 'no code', error: 'could not run' };

/** What a student reads about a probe their instructor fired at their jail. */
export function attackSentence(probeTitle: string, verdict: AttackVerdict): string {
  switch (verdict) {
    case 'escaped':
      return `Your instructor's probe “${probeTitle}” broke out of your jail.`;
    case 'contained':
      return `Your jail held against your instructor's probe “${probeTitle}”.`;
    case 'pending':
      return `Your instructor fired the probe “${probeTitle}” at your jail; it is running.`;
    case 'no-code':
      return `Your instructor fired the probe “${probeTitle}”, but there was no code of yours to fire it at.`;
    case 'error':
      return `Your instructor's probe “${probeTitle}” could not run against your jail.`;
  }
}

/** How far a fired probe has got through the room: finished of all with code to fire at. */
export function attackProgress(results: ReadonlyArray<{ verdict: AttackVerdict }>): { done: number; total: number } {
  const total = results.filter((r) => r.verdict !== 'no-code').length;
  return { done: results.filter((r) => r.verdict !== 'no-code' && r.verdict !== 'pending').length, total };
}
