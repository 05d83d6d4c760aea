import type { CourseOutline } from '@jaillab/protocol';
import { useEffect, useRef, useState } from 'react';
import { useConnection, useConnectionState } from './app/connection.js';
import { lessonPath, navigate, routeOf, usePathname } from './app/router.js';
import { TopBar } from './app/TopBar.js';
import { useOutline } from './app/use-outline.js';
import { useServerNotices } from './app/use-server-notices.js';
import { CourseOutlineNav } from './lesson/CourseOutlineNav.js';
import { LessonPage } from './lesson/LessonPage.js';
import { useWorkshopView } from './app/connection.js';
import { DashboardPage } from './workshop/DashboardPage.js';
import { InstructorPage } from './workshop/InstructorPage.js';
import { ProbeEditorPage } from './probes/ProbeEditorPage.js';
import { JoinPage } from './workshop/JoinPage.js';
import { WorkshopBanner } from './workshop/WorkshopBanner.js';
import { AttackNotices } from './attacks/AttackNotices.js';
import { RoundPanel } from './rounds/RoundPanel.js';
import { Link } from './app/Link.js';
import { SkipLink } from './app/SkipLink.js';
import { ConnectionBanner } from './ui/ConnectionBanner.js';
import { LoadFailure } from './ui/LoadFailure.js';
import { ServerNotices } from './ui/ServerNotices.js';
import './app/app.css';

const OUTLINE_KEY = 'jaillab.outline-open';
/** Below this width the outline overlays the page (app.css), so it starts closed and closes after use. */
const overlayOutline = (): boolean => window.matchMedia('(max-width: 1100px)').matches;

function initialOutlineOpen(): boolean {
  if (overlayOutline()) return false;
  try {
    return localStorage.getItem(OUTLINE_KEY) !== 'closed';
  } catch {
    return true;
  }
}

function findLesson(outline: CourseOutline, id: string | null): { chapter: string; lesson: string } | null {
  for (const c of outline.chapters) for (const l of c.lessons) if (l.id === id) return { chapter: c.title, lesson: l.title };
  return null;
}

function firstLessonId(outline: CourseOutline): string | null {
  return outline.chapters.find((c) => c.lessons.length > 0)?.lessons[0]?.id ?? null;
}

/** The app shell: top bar, banners, course outline, and the page for the current path. */
export function App() {
  const { socket } = useConnection();
  const connection = useConnectionState();
  const everConnected = useRef(false);
  if (connection.status === 'connected') everConnected.current = true;
  const { notices, dismiss } = useServerNotices();
  const { outline, retry } = useOutline();
  const pathname = usePathname();
  const route = routeOf(pathname);
  const lessonId = route.page === 'lesson' ? route.lessonId : null;
  const workshop = useWorkshopView();
  const [outlineOpen, setOutlineOpen] = useState(initialOutlineOpen);

  const toggleOutline = () =>
    setOutlineOpen((open) => {
      // Remember the choice for wide screens only; the overlay always starts closed.
      if (!overlayOutline()) {
        try {
          localStorage.setItem(OUTLINE_KEY, open ? 'closed' : 'open');
        } catch {
          // not remembered; fine
        }
      }
      return !open;
    });

  // As an overlay, the outline gets out of the way once a lesson is picked, and on Escape.
  useEffect(() => {
    if (overlayOutline()) setOutlineOpen(false);
  }, [pathname]);
  useEffect(() => {
    if (!outlineOpen) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && overlayOutline()) setOutlineOpen(false);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [outlineOpen]);

  // "/" goes to the first lesson once the outline is known (a workshop's student: the workshop's first open one).
  const first = outline.status === 'ready' ? (workshop?.lessons.find((l) => l.open)?.id ?? firstLessonId(outline.value)) : null;
  useEffect(() => {
    if (route.page === 'home' && first !== null) navigate(lessonPath(first), { replace: true });
  }, [route.page, first]);

  const where = outline.status === 'ready' ? findLesson(outline.value, lessonId) : null;

  let page;
  if (lessonId !== null) page = <LessonPage lessonId={lessonId} />;
  else if (route.page === 'join') page = <JoinPage code={route.code} />;
  else if (route.page === 'instructor') page = <InstructorPage outline={outline.status === 'ready' ? outline.value : null} />;
  else if (route.page === 'workshop') page = <DashboardPage workshopId={route.workshopId} />;
  else if (route.page === 'probes') page = <ProbeEditorPage outline={outline.status === 'ready' ? outline.value : null} />;
  else if (route.page === 'not-found')
    page = (
      <div className="page-message" role="alert" data-testid="not-found">
        <h1>No such page</h1>
        <p>
          There is nothing at <code>{pathname}</code>. Go to <Link href="/">the first lesson</Link>, <Link href="/join">join a workshop</Link>, or run one from{' '}
          <Link href="/instructor">the instructor&apos;s page</Link>.
        </p>
      </div>
    );
  else if (outline.status === 'failed') page = <LoadFailure what="the course" message={outline.message} onRetry={retry} />;
  else if (outline.status === 'ready' && first === null) page = <div className="page-message">This course has no lessons yet.</div>;
  else page = <div className="page-message" aria-busy="true">Loading the course…</div>;

  return (
    <div className={`app${outlineOpen && route.page !== 'workshop' && route.page !== 'probes' ? ' outline-open' : ''}`}>
      <SkipLink target="main" />
      <TopBar connection={connection} outlineOpen={outlineOpen} onToggleOutline={toggleOutline} chapterTitle={where?.chapter ?? null} lessonTitle={where?.lesson ?? null} />
      <ConnectionBanner state={connection} everConnected={everConnected.current} onRetry={() => socket.retryNow()} />
      <ServerNotices notices={notices} onDismiss={dismiss} />
      {workshop && <WorkshopBanner view={workshop} />}
      {workshop && lessonId && <AttackNotices view={workshop} lessonId={lessonId} />}
      {workshop?.round && workshop.round.round.lessonId === lessonId && <RoundPanel part={workshop.round} myName={workshop.name} />}
      <div className="app-body">
        {/* The dashboard wants the width: the course outline is for learners. */}
        <aside className="outline-pane" id="course-outline" hidden={!outlineOpen || route.page === 'workshop' || route.page === 'probes'}>
          {outline.status === 'ready' && <CourseOutlineNav outline={outline.value} currentLessonId={lessonId} workshop={workshop} />}
          {outline.status === 'failed' && lessonId !== null && <p className="outline-error">The course outline could not be loaded.</p>}
        </aside>
        <main className="page" id="main" tabIndex={-1}>
          {page}
        </main>
      </div>
    </div>
  );
}
