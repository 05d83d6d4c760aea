import type { Dashboard } from '@jaillab/protocol';
import { useConnection } from '../app/connection.js';
import { AttackRun } from './AttackRun.js';

interface Props {
  dashboard: Dashboard;
  attackId: string;
  learnerId: string;
  onClose(): void;
}

/** Beside the grid: one student's run against a fired probe (verdict, output, replay). */
export function AttackPanel({ dashboard, attackId, learnerId, onClose }: Props) {
  const { attacks } = useConnection();
  const a = dashboard.attacks.find((x) => x.id === attackId);
  const m = dashboard.members.find((x) => x.learnerId === learnerId);
  const r = a?.results.find((x) => x.learnerId === learnerId);
  if (!a || !m || !r) return null;
  return (
    <aside className="attack-panel" data-testid="attack-panel" aria-label={`${a.probeTitle} against ${m.name}'s jail`}>
      <header>
        <h2>
          {m.name} · probe “{a.probeTitle}”
        </h2>
        <button type="button" className="button button-quiet button-small" onClick={onClose}>
          Close
        </button>
      </header>
      <AttackRun load={() => attacks.record(a.id, learnerId)} version={`${a.id}:${learnerId}:${r.verdict}`} title={`${a.probeTitle} against ${m.name}'s jail`} />
    </aside>
  );
}
