import { type Dashboard, DEFAULT_ROOM_SIZE } from '@jaillab/protocol';
import { type FormEvent, useEffect, useState } from 'react';
import { useConnection, useLastWelcome } from '../app/connection.js';
import { Link } from '../app/Link.js';
import { AttackPanel } from '../attacks/AttackPanel.js';
import { FireProbePanel } from '../attacks/FireProbePanel.js';
import { RoundControls } from '../rounds/RoundControls.js';
import { download } from '../ui/download.js';
import { DropInPanel } from './DropInPanel.js';
import { capacityWords } from './capacity-words.js';
import { JoinPanel } from './JoinPanel.js';
import { RoomGrid } from './RoomGrid.js';
import { RunnersList } from './RunnersList.js';
import type { RoomSort } from './room-sort.js';
import { LockIcon } from '../ui/icons.js';
import './workshop.css';

/**
 * /workshops/<id>: the room, live. How to join (code, link, QR), the lessons
 * (open or locked, how many passed, where the room is stuck), every student ×
 * lesson, the server's capacity, a message to everyone, the export, the end —
 * and dropping in on one student.
 */
export function DashboardPage({ workshopId }: { workshopId: string }) {
  const { workshops } = useConnection();
  const welcome = useLastWelcome();
  const [dashboard, setDashboard] = useState<Dashboard | null>(null);
  const [sort, setSort] = useState<RoomSort>('progress');
  const [selected, setSelected] = useState<{ learnerId: string; lessonId: string } | null>(null);
  const [attackOpen, setAttackOpen] = useState<{ attackId: string; learnerId: string } | null>(null);
  const [message, setMessage] = useState('');
  const [sent, setSent] = useState<string | null>(null);
  const instructor = welcome?.instructor === true;

  useEffect(() => (instructor ? workshops.watch(workshopId, setDashboard) : undefined), [workshops, workshopId, instructor]);
  useEffect(() => {
    document.title = dashboard ? `${dashboard.workshop.title} · JailLab` : 'Workshop · JailLab';
  }, [dashboard]);

  if (!instructor)
    return (
      <div className="workshop-page">
        <p>
          This is an instructor&apos;s page. <Link href="/instructor">Enter the instructor token</Link> first.
        </p>
      </div>
    );
  if (!dashboard) return <div className="page-message" aria-busy="true">Loading the workshop…</div>;

  const w = dashboard.workshop;
  const ended = w.endedAt !== null;
  const lessonTitle = (id: string): string => w.lessons.find((l) => l.id === id)?.title ?? id;
  const selectedCell = selected && dashboard.cells.find((c) => c.learnerId === selected.learnerId && c.lessonId === selected.lessonId);
  const setOpen = (id: string, open: boolean) => workshops.setLessons(w.id, w.lessons.map((l) => ({ id: l.id, open: l.id === id ? open : l.open })));
  const sendBroadcast = (e: FormEvent) => {
    e.preventDefault();
    if (!message.trim()) return;
    if (workshops.broadcast(w.id, message.trim())) {
      setSent(message.trim());
      setMessage('');
    }
  };
  const c = dashboard.capacity;
  return (
    <div className="workshop-page dashboard-page" data-testid="dashboard">
      <header className="dashboard-header">
        <h1>{w.title}</h1>
        <span className="dashboard-meta">
          {w.members} of {w.roomSize ?? DEFAULT_ROOM_SIZE} student{(w.roomSize ?? DEFAULT_ROOM_SIZE) === 1 ? '' : 's'} · {ended ? <strong data-testid="workshop-ended-label">ended</strong> : 'in progress'}
          {w.endsAt && !ended && ` · until ${new Date(w.endsAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}`}
        </span>
        <span className="capacity" data-testid="capacity" title="The server's VMs and the runs waiting for one">
          {capacityWords(c)}
        </span>
        <RunnersList runners={c.runners} />
      </header>
      {!ended && <JoinPanel code={w.code} roomIn={w.members > 0} />}
      <section className="room-controls" aria-label="Run the room">
        <form onSubmit={sendBroadcast} className="broadcast-form">
          <input data-testid="broadcast-input" value={message} onChange={(e) => setMessage(e.target.value)} placeholder="A message to every student" maxLength={500} disabled={ended} />
          <button type="submit" className="button" data-testid="broadcast-send" disabled={ended || !message.trim()}>
            Send to everyone
          </button>
          {sent && <span className="broadcast-sent" role="status">Sent: “{sent}”</span>}
        </form>
        <button
          type="button"
          className="button"
          data-testid="export-csv"
          onClick={() => void workshops.exportCsv(w.id).then((x) => download(x.fileName, x.csv, 'text/csv;charset=utf-8'))}
        >
          Export CSV
        </button>
        {!ended && <RoomSizeForm size={w.roomSize ?? DEFAULT_ROOM_SIZE} onSet={(n) => workshops.setRoomSize(w.id, n)} />}
        {!ended && (
          <button type="button" className="button" data-testid="end-workshop" onClick={() => confirm(`End "${w.title}"? Students keep their work, read-only.`) && workshops.end(w.id)}>
            End the workshop
          </button>
        )}
        <label className="room-sort">
          Sort{' '}
          <select value={sort} onChange={(e) => setSort(e.target.value as RoomSort)} data-testid="room-sort">
            <option value="progress">by progress</option>
            <option value="name">by name</option>
            <option value="joined">by arrival</option>
          </select>
        </label>
      </section>
      <LessonToggles lessons={w.lessons} disabled={ended} onSet={setOpen} />
      {!ended && <FireProbePanel dashboard={dashboard} />}
      <RoundControls dashboard={dashboard} />
      <div className="room-body">
        <RoomGrid
          dashboard={dashboard}
          sort={sort}
          selected={selected}
          onSelect={(learnerId, lessonId) => {
            setAttackOpen(null);
            setSelected({ learnerId, lessonId });
          }}
          onRemove={(id, name) => confirm(`Remove ${name} from the workshop? Their work stays theirs.`) && workshops.remove(w.id, id)}
          onOpenAttack={(attackId, learnerId) => {
            setSelected(null);
            setAttackOpen({ attackId, learnerId });
          }}
        />
        {attackOpen && <AttackPanel dashboard={dashboard} attackId={attackOpen.attackId} learnerId={attackOpen.learnerId} onClose={() => setAttackOpen(null)} />}
        {selected && (
          <DropInPanel
            workshopId={w.id}
            learnerId={selected.learnerId}
            lessonId={selected.lessonId}
            lessonTitle={lessonTitle(selected.lessonId)}
            runs={selectedCell?.runs ?? 0}
            onClose={() => setSelected(null)}
          />
        )}
      </div>
    </div>
  );
}

/** Each lesson's lock, with its state in words beside it: a bare checkbox did not say what checked means. */
function LessonToggles({ lessons, disabled, onSet }: { lessons: Dashboard['workshop']['lessons']; disabled: boolean; onSet: (id: string, open: boolean) => void }) {
  return (
    <section className="lesson-toggles" aria-labelledby="lesson-toggles-title">
      <h2 id="lesson-toggles-title" className="lesson-toggles-title">
        Lessons — checked: open to students; unchecked: locked (their code is kept)
      </h2>
      {lessons.map((l, i) => (
        <label key={l.id} className={`lesson-toggle${l.open ? ' open' : ''}`} data-testid="lesson-toggle" data-lesson={l.id}>
          <input type="checkbox" checked={l.open} onChange={(e) => onSet(l.id, e.target.checked)} disabled={disabled} /> {i + 1}. {l.title}{' '}
          <span className="lesson-toggle-state" data-testid="lesson-toggle-state">
            {l.open ? 'open' : (
              <>
                <LockIcon /> locked
              </>
            )}
          </span>
        </label>
      ))}
    </section>
  );
}

/** The room's size: how many students may join (a student beyond it is told the room is full). */
function RoomSizeForm({ size, onSet }: { size: number; onSet: (n: number) => void }) {
  const [value, setValue] = useState(String(size));
  useEffect(() => setValue(String(size)), [size]);
  const n = Number(value);
  const valid = Number.isInteger(n) && n >= 1 && n <= 500;
  return (
    <form
      className="room-size-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (valid && n !== size) onSet(n);
      }}
    >
      <label>
        Room size <input type="number" data-testid="room-size-input" min={1} max={500} value={value} onChange={(e) => setValue(e.target.value)} />
      </label>
      <button type="submit" className="button" data-testid="room-size-set" disabled={!valid || n === size}>
        Set
      </button>
    </form>
  );
}
