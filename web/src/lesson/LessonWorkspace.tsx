import type { LessonView } from '@jaillab/protocol';
import { MAX_SOURCE_BYTES } from '@jaillab/protocol';
import { useCallback, useEffect, useRef } from 'react';
import { useConnectionState } from '../app/connection.js';
import { CodeEditor, type CodeEditorHandle } from '../editor/CodeEditor.js';
import { runDiagnostics } from '../run/run-state.js';
import { useLessonRun } from '../run/use-lesson-run.js';
import { TerminalPane } from '../terminal/TerminalPane.js';
import type { TerminalView } from '../terminal/terminal-view.js';
import { LessonText } from './LessonText.js';
import { RunToolbar } from './RunToolbar.js';
import { useLessonCode } from './use-lesson-code.js';
import { VerdictPanel } from './VerdictPanel.js';
import './lesson-workspace.css';

/** The file name the server compiles the learner's code as (the lesson's starter file). */
const FILE_NAME = 'jail.c';

/**
 * One lesson, ready to work on: the text and the checks on the left, the
 * editor, Run and the terminal on the right. Mounted per lesson (keyed by id),
 * so switching lessons starts from a clean slate.
 */
export function LessonWorkspace({ lesson }: { lesson: LessonView }) {
  const connection = useConnectionState();
  const connected = connection.status === 'connected';
  // Keep what the server told us last, through a reconnect.
  const welcomeRef = useRef(connection.status === 'connected' ? connection.welcome : null);
  if (connection.status === 'connected') welcomeRef.current = connection.welcome;
  const welcome = welcomeRef.current;
  const maxSourceBytes = Math.min(MAX_SOURCE_BYTES, welcome?.limits.maxSourceBytes ?? MAX_SOURCE_BYTES);

  const editorRef = useRef<CodeEditorHandle | null>(null);
  const terminalRef = useRef<TerminalView | null>(null);
  const code = useLessonCode(lesson, editorRef);
  const run = useLessonRun(lesson, terminalRef, maxSourceBytes);

  const { start } = run;
  const startRun = useCallback(() => {
    const source = editorRef.current?.getValue();
    // Offline, this still goes through: the refusal explains that we are not connected.
    if (source !== undefined) start(source);
  }, [start]);

  // Ctrl/Cmd+Enter anywhere on the page (the editor handles it itself when focused).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Enter' || !(e.ctrlKey || e.metaKey) || e.defaultPrevented || e.repeat) return;
      e.preventDefault();
      startRun();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [startRun]);

  const diagnostics = runDiagnostics(run.state);

  return (
    <div className="lesson-workspace">
      <div className="lesson-column">
        <LessonText lesson={lesson} />
        <VerdictPanel state={run.state} serverAccelerator={welcome?.accelerator ?? null} />
      </div>
      <div className="work-column">
        <RunToolbar
          fileName={FILE_NAME}
          run={run.state}
          connected={connected}
          sourceBytes={code.sourceBytes}
          maxSourceBytes={maxSourceBytes}
          canReset={!code.isStarter}
          canRestore={code.canRestore}
          notice={code.notice}
          onRun={startRun}
          onCancel={run.cancel}
          onReset={code.reset}
          onRestore={code.restore}
        />
        {code.storageFailed && (
          <p className="storage-warning" role="alert">
            This browser would not save your code (storage is full or disabled). It is safe while this tab stays open; copy it somewhere before closing.
          </p>
        )}
        <CodeEditor modelKey={lesson.id} fileName={FILE_NAME} initialValue={code.initial} diagnostics={diagnostics} onChange={code.onChange} onRun={startRun} handleRef={editorRef} />
        <TerminalPane viewRef={terminalRef} />
      </div>
    </div>
  );
}
