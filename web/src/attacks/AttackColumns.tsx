import type { AttackColumn, DashboardMember } from '@jaillab/protocol';
import { useConnection } from '../app/connection.js';
import { ATTACK_GLYPH, ATTACK_WORD, attackProgress } from './attack-words.js';

/** The room grid's header cells for the fired probes: title, progress, and whether students see the source. */
export function AttackHeaders({ attacks, workshopId }: { attacks: AttackColumn[]; workshopId: string }) {
  const { attacks: client } = useConnection();
  return (
    <>
      {attacks.map((a) => {
        const p = attackProgress(a.results);
        return (
          <th key={a.id} scope="col" className="room-attack-col" title={`Probe fired at ${new Date(a.firedAt).toLocaleTimeString()}: ${a.probeTitle}`} data-testid="attack-col" data-probe={a.probeId}>
            <span className="room-lesson-title">Probe: {a.probeTitle}</span>
            <span className="room-attack-progress" data-testid="attack-col-progress">
              {p.done} of {p.total}
            </span>
            <button type="button" className="button button-quiet button-small" onClick={() => void client.showSource(workshopId, a.id, !a.showSource)} data-testid="attack-show-source" aria-pressed={a.showSource}>
              {a.showSource ? 'Hide source' : 'Show source'}
            </button>
          </th>
        );
      })}
    </>
  );
}

/** One student's cells for the fired probes: escaped or contained, the run one click away. */
export function AttackCells({ attacks, member, onOpen }: { attacks: AttackColumn[]; member: DashboardMember; onOpen(attackId: string, learnerId: string): void }) {
  return (
    <>
      {attacks.map((a) => {
        const r = a.results.find((x) => x.learnerId === member.learnerId);
        // A student who joined after the probe was fired was not fired at.
        if (!r) return <td key={a.id} />;
        const label = `${member.name}, probe ${a.probeTitle}: ${ATTACK_WORD[r.verdict]}${r.verdict === 'pending' ? '' : ` (${r.reason})`}`;
        return (
          <td key={a.id} className={`room-attack-cell attack-${r.verdict}`} data-testid="attack-cell" data-verdict={r.verdict}>
            <button type="button" onClick={() => onOpen(a.id, member.learnerId)} title={label} aria-label={label} disabled={r.verdict === 'pending' || r.verdict === 'no-code'}>
              <span aria-hidden="true">{ATTACK_GLYPH[r.verdict]}</span>
            </button>
          </td>
        );
      })}
    </>
  );
}
