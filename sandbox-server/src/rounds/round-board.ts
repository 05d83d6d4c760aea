import type { MemberRound, RoundShot, RoundView } from '@jaillab/protocol';
import type { RoundRow, RoundStore, ShotRow } from './round-store.js';

export interface RoundFacts {
  round: RoundRow;
  lessonTitle: string;
  members: ReadonlyArray<{ learnerId: string; name: string }>;
  jails: ReadonlyMap<string, string>;
  shots: readonly ShotRow[];
  now: number;
}

/** A round is over when the instructor ended it or its time is up. */
export const roundOver = (r: RoundRow, now: number): boolean => r.endedAt !== null || Date.parse(r.endsAt) <= now;

/**
 * The scoreboard everyone sees: per student whether their jail is in and
 * still standing, how many jails their probes broke (each jail once), runs
 * fired; and the round's first escape.
 */
export function roundView(f: RoundFacts): RoundView {
  const broken = new Set(f.shots.filter((s) => s.verdict === 'escaped').map((s) => s.targetId));
  const name = (id: string): string => f.members.find((m) => m.learnerId === id)?.name ?? 'a former student';
  const first = f.shots.filter((s) => s.verdict === 'escaped').sort((a, b) => (a.finishedAt ?? '').localeCompare(b.finishedAt ?? ''))[0];
  return {
    id: f.round.id,
    lessonId: f.round.lessonId,
    lessonTitle: f.lessonTitle,
    openedAt: f.round.openedAt,
    endsAt: f.round.endsAt,
    endedAt: f.round.endedAt ?? (roundOver(f.round, f.now) ? f.round.endsAt : null),
    budget: f.round.budget,
    revealed: f.round.revealed,
    standings: f.members.map((m) => ({
      learnerId: m.learnerId,
      name: m.name,
      submitted: f.jails.has(m.learnerId),
      standing: f.jails.has(m.learnerId) && !broken.has(m.learnerId),
      escapes: new Set(f.shots.filter((s) => s.attackerId === m.learnerId && s.verdict === 'escaped').map((s) => s.targetId)).size,
      fired: f.shots.filter((s) => s.attackerId === m.learnerId).length,
    })),
    firstBlood: first ? { attacker: name(first.attackerId), target: name(first.targetId), at: first.finishedAt ?? first.firedAt } : null,
  };
}

/**
 * One student's part: the scoreboard, their budget left, the shots they
 * fired (the target's jail source once revealed) and the shots at their jail
 * (the probe's source once revealed).
 */
export function memberRound(f: RoundFacts, learnerId: string): MemberRound {
  const name = (id: string): string => f.members.find((m) => m.learnerId === id)?.name ?? 'a former student';
  const shot = (s: ShotRow, other: string | null): RoundShot => ({
    id: s.id,
    attacker: name(s.attackerId),
    target: name(s.targetId),
    probeTitle: s.probeTitle,
    verdict: s.verdict,
    reason: s.reason,
    firedAt: s.firedAt,
    otherSource: f.round.revealed ? other : null,
  });
  const fired = f.shots.filter((s) => s.attackerId === learnerId);
  return {
    round: roundView(f),
    submitted: f.jails.has(learnerId),
    left: Math.max(0, f.round.budget - fired.length),
    fired: fired.map((s) => shot(s, f.jails.get(s.targetId) ?? null)).reverse(),
    received: f.shots.filter((s) => s.targetId === learnerId).map((s) => shot(s, s.probeSource)).reverse(),
  };
}

/** The facts of a workshop's latest round, or null when it never had one. */
export function latestRoundFacts(rounds: RoundStore, workshopId: string, members: ReadonlyArray<{ learnerId: string; name: string }>, lessonTitle: (id: string) => string, now = Date.now()): RoundFacts | null {
  const round = rounds.latest(workshopId);
  if (!round) return null;
  return { round, lessonTitle: lessonTitle(round.lessonId), members, jails: rounds.jails(round.id), shots: rounds.shots(round.id), now };
}
