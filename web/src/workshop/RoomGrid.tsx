import type { Dashboard, DashboardCell } from '@jaillab/protocol';
import { type KeyboardEvent, useMemo, useRef, useState } from 'react';
import { AttackCells, AttackHeaders } from '../attacks/AttackColumns.js';
import { type GridAt, gridMove } from './grid-keys.js';
import { type RoomSort, sortMembers } from './room-sort.js';
import { LockIcon } from '../ui/icons.js';

const GLYPH: Record<DashboardCell['status'], string> = { 'not-started': '·', 'in-progress': '◐', passed: '✓', stuck: '!' };
const WORD: Record<DashboardCell['status'], string> = { 'not-started': 'not started', 'in-progress': 'in progress', passed: 'passed', stuck: 'stuck' };

function describe(name: string, lessonTitle: string, c: DashboardCell): string {
  const parts = [`${name}, ${lessonTitle}: ${WORD[c.status]}${c.withSolution ? ' (with the solution)' : ''}`];
  if (c.contained !== null) parts.push(`${c.contained} of ${c.total} probe${c.total === 1 ? '' : 's'} contained in the latest run`);
  parts.push(`${c.runs} run${c.runs === 1 ? '' : 's'}`);
  return parts.join('; ');
}

interface Props {
  dashboard: Dashboard;
  sort: RoomSort;
  selected: { learnerId: string; lessonId: string } | null;
  onSelect(learnerId: string, lessonId: string): void;
  onRemove(learnerId: string, name: string): void;
  /** A fired probe's cell: that student's run against it. */
  onOpenAttack(attackId: string, learnerId: string): void;
}

/**
 * Students × lessons: each cell the student's state in the lesson (passed,
 * stuck, in progress) and the latest run's probes contained of total. Compact
 * enough for 40 × 15: the header row and the names stay put while it scrolls.
 * The cells are one stop for Tab (a roving tabindex): arrow keys move
 * between them (grid-keys.ts), Enter drops in.
 */
export function RoomGrid({ dashboard, sort, selected, onSelect, onRemove, onOpenAttack }: Props) {
  const members = useMemo(() => sortMembers(dashboard, sort), [dashboard, sort]);
  const cells = useMemo(() => new Map(dashboard.cells.map((c) => [`${c.learnerId}\n${c.lessonId}`, c])), [dashboard]);
  const lessons = dashboard.workshop.lessons;
  // Probes fired at the room come first, newest first: the column being filled in is in view.
  const fired = useMemo(() => [...dashboard.attacks].reverse(), [dashboard]);
  const [active, setActive] = useState<GridAt>({ row: 0, col: 0 });
  const bodyRef = useRef<HTMLTableSectionElement>(null);
  const at = { row: Math.min(active.row, members.length - 1), col: Math.min(active.col, lessons.length - 1) };
  const onKeyDown = (e: KeyboardEvent<HTMLTableSectionElement>) => {
    if (!(e.target as HTMLElement).closest('[data-testid="room-cell"]')) return;
    const next = gridMove(e.key, e.ctrlKey || e.metaKey, at, members.length, lessons.length);
    if (!next) return;
    e.preventDefault();
    setActive(next);
    bodyRef.current?.querySelector<HTMLElement>(`[data-row="${next.row}"][data-col="${next.col}"] button`)?.focus();
  };
  if (members.length === 0) return <p className="room-empty">No students yet: they join with the code above.</p>;
  return (
    <div className="room-grid-wrap">
      <table className="room-grid" data-testid="room-grid" aria-describedby="room-grid-keys">
        <caption className="room-grid-caption">
          Students × lessons. <span id="room-grid-keys">Arrow keys move between the cells; Enter drops in on that student.</span>
        </caption>
        <thead>
          <tr>
            <th scope="col" className="room-name-col">
              Student
            </th>
            <AttackHeaders attacks={fired} workshopId={dashboard.workshop.id} />
            {lessons.map((l, i) => (
              <th key={l.id} scope="col" title={l.title} className={l.open ? '' : 'lesson-locked'} data-testid="room-lesson-head" data-lesson={l.id}>
                <span className="room-lesson-number">{i + 1}</span>
                <span className="room-lesson-title">{l.title}</span>
                {!l.open && (
                  <span className="room-lesson-locked">
                    <LockIcon /> locked
                  </span>
                )}
              </th>
            ))}
          </tr>
        </thead>
        <tbody ref={bodyRef} onKeyDown={onKeyDown}>
          {members.map((m, row) => (
            <tr key={m.learnerId} data-testid="room-row" data-name={m.name}>
              <th scope="row" className="room-name-col">
                <span className={`online-dot${m.online ? ' online' : ''}`} role="img" title={m.online ? 'online' : 'offline'} aria-label={m.online ? 'online' : 'offline'} />
                <button type="button" className="room-student" onClick={() => onSelect(m.learnerId, m.lastLessonId ?? lessons[0]!.id)} title={`Drop in on ${m.name}`}>
                  {m.name}
                </button>
                <button type="button" className="button button-quiet button-small room-remove" onClick={() => onRemove(m.learnerId, m.name)} aria-label={`Remove ${m.name} from the workshop`} title="Remove from the workshop">
                  ✕
                </button>
              </th>
              <AttackCells attacks={fired} member={m} onOpen={onOpenAttack} />
              {lessons.map((l, col) => {
                const c = cells.get(`${m.learnerId}\n${l.id}`);
                if (!c) return <td key={l.id} />;
                const isSelected = selected?.learnerId === m.learnerId && selected.lessonId === l.id;
                return (
                  <td key={l.id} className={`room-cell cell-${c.status}${isSelected ? ' selected' : ''}${c.withSolution ? ' with-solution' : ''}`} data-testid="room-cell" data-lesson={l.id} data-status={c.status} data-row={row} data-col={col}>
                    <button
                      type="button"
                      tabIndex={at.row === row && at.col === col ? 0 : -1}
                      onFocus={() => setActive({ row, col })}
                      onClick={() => onSelect(m.learnerId, l.id)}
                      title={describe(m.name, l.title, c)}
                      aria-label={describe(m.name, l.title, c)}
                    >
                      <span className="cell-glyph" aria-hidden="true">
                        {GLYPH[c.status]}
                      </span>
                      {c.contained !== null && c.status !== 'passed' && (
                        <span className="cell-count" aria-hidden="true">
                          {c.contained}/{c.total}
                        </span>
                      )}
                    </button>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" className="room-name-col">
              Passed · stuck on
            </th>
            {fired.map((a) => (
              <td key={a.id} />
            ))}
            {dashboard.lessons.map((s) => (
              <td key={s.lessonId} className="room-stat" data-testid="lesson-stat" data-lesson={s.lessonId}>
                <span className="stat-passed">{s.passed}</span>
                {s.mostEscaping && (
                  <span className="stat-escape" data-testid="stat-escape" data-probe={s.mostEscaping.probeId} title={`${s.mostEscaping.title} escapes ${s.mostEscaping.students} student${s.mostEscaping.students === 1 ? "'s" : "s'"} latest run`}>
                    {s.mostEscaping.title}
                  </span>
                )}
              </td>
            ))}
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
