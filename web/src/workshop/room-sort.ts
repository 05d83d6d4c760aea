import type { Dashboard, DashboardMember } from '@jaillab/protocol';

export type RoomSort = 'progress' | 'name' | 'joined';

/** How far a student is: lessons passed, then probes contained in the latest runs (ties by name). */
export function progressScore(d: Dashboard, learnerId: string): number {
  let score = 0;
  for (const c of d.cells) {
    if (c.learnerId !== learnerId) continue;
    if (c.status === 'passed') score += 1000;
    score += c.contained ?? 0;
  }
  return score;
}

/** The dashboard's rows, in the order the instructor chose: most progress first, by name, or by arrival. */
export function sortMembers(d: Dashboard, by: RoomSort): DashboardMember[] {
  const byName = (a: DashboardMember, b: DashboardMember): number => a.name.localeCompare(b.name, undefined, { sensitivity: 'base', numeric: true });
  const members = [...d.members];
  if (by === 'name') return members.sort(byName);
  if (by === 'joined') return members.sort((a, b) => a.joinedAt.localeCompare(b.joinedAt));
  const score = new Map(members.map((m) => [m.learnerId, progressScore(d, m.learnerId)]));
  return members.sort((a, b) => score.get(b.learnerId)! - score.get(a.learnerId)! || byName(a, b));
}
