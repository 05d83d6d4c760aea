import type { ConnectionState } from '../api/connection-state.js';
import { ConnectionStatus } from '../ui/ConnectionStatus.js';
import { KeyboardHelp } from './KeyboardHelp.js';
import { Link } from './Link.js';

interface Props {
  connection: ConnectionState;
  outlineOpen: boolean;
  onToggleOutline(): void;
  /** Where we are: chapter and lesson titles, when on a lesson. */
  chapterTitle: string | null;
  lessonTitle: string | null;
}

export function TopBar({ connection, outlineOpen, onToggleOutline, chapterTitle, lessonTitle }: Props) {
  return (
    <header className="top-bar">
      <button type="button" className="button button-quiet outline-toggle" onClick={onToggleOutline} aria-expanded={outlineOpen} aria-controls="course-outline" title={outlineOpen ? 'Hide the course outline' : 'Show the course outline'}>
        <span aria-hidden="true">☰</span>
        <span className="visually-hidden">Course outline</span>
      </button>
      <Link href="/" className="brand">
        <span className="brand-mark" aria-hidden="true" />
        JailLab
      </Link>
      {lessonTitle && (
        <p className="breadcrumb">
          {chapterTitle && <span className="breadcrumb-chapter">{chapterTitle}</span>}
          {chapterTitle && <span aria-hidden="true"> › </span>}
          <span className="breadcrumb-lesson">{lessonTitle}</span>
        </p>
      )}
      <span className="top-bar-spacer" />
      <KeyboardHelp />
      <ConnectionStatus state={connection} />
    </header>
  );
}
