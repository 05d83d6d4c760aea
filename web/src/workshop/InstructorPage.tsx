import { type CourseOutline, DEFAULT_ROOM_SIZE, type WorkshopSummary } from '@jaillab/protocol';
import { type FormEvent, useEffect, useState } from 'react';
import { saveInstructorToken } from '../api/instructor-token.js';
import { useConnection, useConnectionState, useLastWelcome } from '../app/connection.js';
import { Link } from '../app/Link.js';
import { navigate, PROBE_EDITOR_PATH, workshopPath } from '../app/router.js';
import './workshop.css';

/** The instructor token: asked for once, kept in this browser. `npm start` prints where the server keeps it. */
function TokenForm() {
  const { socket } = useConnection();
  const [token, setToken] = useState('');
  const [refused, setRefused] = useState<string | null>(null);
  useEffect(() => socket.instructorRefused.on((m) => setRefused(m)), [socket]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setRefused(null);
    saveInstructorToken(token.trim());
    socket.reconnect();
  };
  return (
    <form className="join-form" onSubmit={submit}>
      <p>
        Workshops are run with the server&apos;s instructor token. <code>npm start</code> prints where it is kept (the file{' '}
        <code>instructor-token</code> in the data directory), or the operator set <code>JAILLAB_INSTRUCTOR_TOKEN</code>.
      </p>
      <label>
        Instructor token
        <input data-testid="instructor-token" type="password" value={token} onChange={(e) => setToken(e.target.value)} autoComplete="off" required minLength={16} />
      </label>
      <button type="submit" className="button button-primary" data-testid="instructor-sign-in">
        Use this token
      </button>
      {refused && (
        <p className="form-error" role="alert">
          The server refused that token ({refused}).
        </p>
      )}
    </form>
  );
}

function CreateForm({ outline }: { outline: CourseOutline }) {
  const { workshops } = useConnection();
  const all = outline.chapters.flatMap((c) => c.lessons.map((l) => l.id));
  const [title, setTitle] = useState('');
  const [lessons, setLessons] = useState<Set<string>>(new Set(all));
  const [endsAt, setEndsAt] = useState('');
  const [roomSize, setRoomSize] = useState(DEFAULT_ROOM_SIZE);
  const [error, setError] = useState<string | null>(null);
  const toggle = (id: string) =>
    setLessons((s) => {
      const n = new Set(s);
      if (n.has(id)) n.delete(id);
      else n.add(id);
      return n;
    });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const chosen = all.filter((id) => lessons.has(id));
    workshops.create(title, chosen, endsAt ? new Date(endsAt).toISOString() : null, roomSize).then(
      (w) => navigate(workshopPath(w.id)),
      (err: Error) => setError(err.message),
    );
  };
  return (
    <form className="create-workshop" onSubmit={submit} aria-label="Start a workshop">
      <h2>Start a workshop</h2>
      <label>
        Title
        <input data-testid="workshop-title" value={title} onChange={(e) => setTitle(e.target.value)} required maxLength={120} placeholder="e.g. Jails, Tuesday morning" />
      </label>
      <fieldset>
        <legend>Lessons in the workshop</legend>
        <p className="create-lessons-hint" data-testid="create-lessons-hint">
          Checked lessons are in the workshop and start open; lock and open them from the dashboard. Unchecked lessons are left out of the workshop, not locked: students do not see them, and the dashboard cannot add them later.
        </p>
        {outline.chapters.map((c) => (
          <div key={c.id} className="create-chapter">
            <span className="create-chapter-title">{c.title}</span>
            {c.lessons.map((l) => (
              <label key={l.id} className="create-lesson">
                <input type="checkbox" checked={lessons.has(l.id)} onChange={() => toggle(l.id)} /> {l.title}
              </label>
            ))}
          </div>
        ))}
      </fieldset>
      <label>
        Room size (students who may join; more are told the room is full)
        <input type="number" data-testid="workshop-room-size" min={1} max={500} value={roomSize} onChange={(e) => setRoomSize(Number(e.target.value))} required />
      </label>
      <label>
        Ends at (optional)
        <input type="datetime-local" value={endsAt} onChange={(e) => setEndsAt(e.target.value)} />
      </label>
      <button type="submit" className="button button-primary" data-testid="create-workshop" disabled={lessons.size === 0}>
        Start the workshop
      </button>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

/** /instructor: sign in with the token, start a workshop, or open one. */
export function InstructorPage({ outline }: { outline: CourseOutline | null }) {
  const { workshops } = useConnection();
  const connection = useConnectionState();
  const welcome = useLastWelcome();
  const [list, setList] = useState<WorkshopSummary[] | null>(null);
  const instructor = welcome?.instructor === true;

  useEffect(() => {
    document.title = 'Workshops · JailLab';
  }, []);
  useEffect(() => {
    if (instructor && connection.status === 'connected') workshops.list().then(setList, () => setList([]));
  }, [instructor, connection.status, workshops]);

  return (
    <div className="workshop-page instructor-page">
      <h1>Workshops</h1>
      {!instructor ? (
        <TokenForm />
      ) : (
        <>
          {outline && <CreateForm outline={outline} />}
          <p>
            <Link href={PROBE_EDITOR_PATH}>Write a new probe</Link>: try it against a lesson&apos;s programs, keep it in the library, fire it at a room.
          </p>
          <h2>Your workshops</h2>
          {list === null ? (
            <p aria-busy="true">Loading…</p>
          ) : list.length === 0 ? (
            <p>None yet.</p>
          ) : (
            <ul className="workshop-list" data-testid="workshop-list">
              {list.map((w) => (
                <li key={w.id}>
                  <Link href={workshopPath(w.id)}>{w.title}</Link> <code>{w.code}</code> · {w.members} student{w.members === 1 ? '' : 's'} · {w.endedAt ? 'ended' : 'in progress'}
                </li>
              ))}
            </ul>
          )}
          <p>
            <button
              type="button"
              className="button button-quiet"
              onClick={() => {
                saveInstructorToken(null);
                location.reload();
              }}
            >
              Forget the instructor token in this browser
            </button>
          </p>
        </>
      )}
    </div>
  );
}
