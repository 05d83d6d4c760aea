import type { LessonView } from '@jaillab/protocol';
import { MAX_SOURCE_BYTES } from '@jaillab/protocol';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useConnection, useConnectionState, useLastWelcome, useWorkshopView } from '../app/connection.js';
import { workshopBlock } from '../workshop/workshop-block.js';
import { sha256Hex } from '../text/sha256.js';
import { RestoredRunNote } from './RestoredRunNote.js';
import { RunAnnouncer } from './RunAnnouncer.js';
import { useProgress } from '../app/use-progress.js';
import { CodeEditor, type CodeEditorHandle } from '../editor/CodeEditor.js';
import { SolutionDiff } from '../editor/SolutionDiff.js';
import { runDiagnostics } from '../run/run-state.js';
import { useLessonRun } from '../run/use-lesson-run.js';
import { useLessonShell } from '../shell/use-shell.js';
import type { TerminalView } from '../terminal/terminal-view.js';
import { cssVars } from '../ui/css-vars.js';
import { Splitter } from '../ui/Splitter.js';
import { useIsPhone } from '../ui/use-phone.js';
import { useStoredSize } from '../ui/use-stored-size.js';
import { HintsPanel } from './HintsPanel.js';
import { LessonText } from './LessonText.js';
import { NextLesson } from './NextLesson.js';
import { RunToolbar } from './RunToolbar.js';
import { type TerminalTab, TerminalTabs } from './TerminalTabs.js';
import { useLessonCode } from './use-lesson-code.js';
import { useRevealedHints } from './use-revealed-hints.js';
import { usePaneKeys } from './use-pane-keys.js';
import { useTracing } from './use-tracing.js';
import { DETAILED_UP_TO, VerdictPanel } from './VerdictPanel.js';
import './lesson-workspace.css';
import './workspace-extras.css';

/** The panes' sizes in percent (of the page's width, of the work column's height), and how far a learner may take them. */
const LESSON_COLUMN = { key: 'jaillab.layout.lesson-column', fallback: 34, bounds: { min: 20, max: 65 } };
const TERMINAL = { key: 'jaillab.layout.terminal', fallback: 38, bounds: { min: 12, max: 75 } };
/**
 * The lesson text's share of the lesson column, above the checks. It used to get what the checks left, which after
 * a run was two or three lines; now the learner sets it. Until they do: 36%, or 14% (120 px at 900 px high, as before) where the checks are one line
 * each (the capstone's nineteen still fit one screen).
 */
const LESSON_TEXT = { key: 'jaillab.layout.lesson-text', fallback: 36, compactFallback: 14, bounds: { min: 10, max: 80 } };

/**
 * One lesson, ready to work on: the text, the checks and the hints on the
 * left; the editor (or the comparison with the solution), Run, and the
 * terminals (run output, interactive shell) on the right, with splitters
 * between them whose sizes every lesson shares. Mounted per lesson (keyed
 * by id), so switching lessons starts from a clean slate.
 */
export function LessonWorkspace({ lesson }: { lesson: LessonView }) {
  const connection = useConnectionState();
  const { workspace } = useConnection();
  const connected = connection.status === 'connected';
  const welcome = useLastWelcome();
  // In a workshop: a locked lesson cannot be run, an ended workshop's work is read-only.
  const blocked = workshopBlock(useWorkshopView(), lesson.id);
  const maxSourceBytes = Math.min(MAX_SOURCE_BYTES, welcome?.limits.maxSourceBytes ?? MAX_SOURCE_BYTES);

  const editorRef = useRef<CodeEditorHandle | null>(null);
  const terminalRef = useRef<TerminalView | null>(null);
  const shellRef = useRef<TerminalView | null>(null);
  const code = useLessonCode(lesson, editorRef);
  const run = useLessonRun(lesson, terminalRef, maxSourceBytes);
  const shell = useLessonShell(lesson.id, shellRef);
  const hints = useRevealedHints(lesson.id);
  const progress = useProgress();
  const [tab, setTab] = useState<TerminalTab>('output');
  const [compare, setCompare] = useState<{ mine: string; solution: string } | null>(null);
  const [compareError, setCompareError] = useState<string | null>(null);
  const [lessonColumn, setLessonColumn] = useStoredSize(LESSON_COLUMN.key, LESSON_COLUMN.fallback, LESSON_COLUMN.bounds);
  const [terminalShare, setTerminalShare] = useStoredSize(TERMINAL.key, TERMINAL.fallback, TERMINAL.bounds);
  const [textShare, setTextShare] = useStoredSize(LESSON_TEXT.key, lesson.checks.length > DETAILED_UP_TO ? LESSON_TEXT.compactFallback : LESSON_TEXT.fallback, LESSON_TEXT.bounds);
  const phone = useIsPhone();
  const [tracing, setTracing] = useTracing();
  const [tabMovesFocus, setTabMovesFocus] = useState(false);
  // F6 / Shift+F6 between the panes (pane-keys.ts); the editor pane is the comparison while that shows.
  usePaneKeys({
    lesson: { element: () => document.getElementById('lesson-text') },
    checks: { element: () => document.getElementById('verdict-heading') },
    editor: compare
      ? { element: () => document.querySelector<HTMLElement>('[data-testid="use-solution"]') }
      : { element: () => document.querySelector<HTMLElement>('.code-editor'), focus: () => editorRef.current?.focus() },
    terminal: { element: () => document.querySelector<HTMLElement>('#terminal-stack [role="tab"][aria-selected="true"]') },
  });

  const { start } = run;
  const startRun = useCallback(() => {
    const source = editorRef.current?.getValue();
    setTab('output');
    // Offline, this still goes through: the refusal explains that we are not connected.
    if (source !== undefined && !blocked) start(source, { trace: tracing });
  }, [start, blocked, tracing]);

  // Ctrl/Cmd+Enter anywhere on the page (the editor handles it itself when focused; the shell keeps its keys).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Enter' || !(e.ctrlKey || e.metaKey) || e.defaultPrevented || e.repeat) return;
      e.preventDefault();
      startRun();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [startRun]);

  // A pass shows in the outline at once (the server's progress push confirms it).
  const outcome = run.state.finished?.outcome;
  useEffect(() => {
    if (outcome === 'passed') workspace.markLocally(lesson.id, 'passed');
  }, [outcome, lesson.id, workspace]);

  const openCompare = useCallback(() => {
    const mine = editorRef.current?.getValue() ?? '';
    setCompareError(null);
    workspace.solution(lesson.id).then(
      (s) => setCompare({ mine, solution: s.source }),
      (e: Error) => setCompareError(`The solution could not be loaded: ${e.message}`),
    );
  }, [lesson.id, workspace]);

  const useSolution = useCallback(() => {
    if (!compare) return;
    setCompare(null);
    // After the editor is shown again, so the replacement is an undoable edit there.
    queueMicrotask(() => code.replaceWith(compare.solution, 'The solution is in the editor. Your code is kept: “Restore my code”.'));
  }, [compare, code]);

  const openShell = useCallback(() => {
    setTab('shell');
    shell.open(editorRef.current?.getValue() ?? lesson.starter);
  }, [shell, lesson.starter]);

  const diagnostics = runDiagnostics(run.state);
  // A run shown from the server's record: is the code in the editor still the code it compiled?
  const restoredSha = run.state.restored?.sourceSha256 ?? null;
  const changedSince = useMemo(() => restoredSha !== null && sha256Hex(code.source) !== restoredSha, [restoredSha, code.source]);
  const passed = progress[lesson.id] === 'passed' || outcome === 'passed';
  // A pass only after looking at the solution says so (the server decides: the progress it keeps, or the run's own withSolution).
  const withSolution = passed && (workspace.passedWithSolution(lesson.id) || run.state.finished?.withSolution === true);
  const checkTitle = (id: string): string => lesson.checks.find((c) => c.id === id)?.title ?? id;

  return (
    <>
      {phone && (
        <p className="read-only-notice" data-testid="read-only-notice" role="note">
          Read-only on a phone: read the lesson, the checks and the code here; open JailLab on a laptop to edit and run.
        </p>
      )}
      <div className="lesson-workspace" style={cssVars({ '--lesson-column': `${lessonColumn}%` })}>
        <div className="lesson-column" id="lesson-column" style={cssVars({ '--lesson-text-share': `${textShare}%` })}>
          <LessonText lesson={lesson} />
          <Splitter orientation="horizontal" pane="before" paneId="lesson-text" label="Resize the lesson text" size={textShare} bounds={LESSON_TEXT.bounds} onResize={setTextShare} testId="text-splitter" />
          {run.state.restored && <RestoredRunNote key={run.state.restored.createdAt} createdAt={run.state.restored.createdAt} changed={changedSince} />}
          <RunAnnouncer state={run.state} />
          <VerdictPanel state={run.state} serverAccelerator={welcome?.accelerator ?? null} />
          <HintsPanel hints={lesson.hints} state={run.state} revealed={hints.revealed} checkTitle={checkTitle} onReveal={hints.reveal} />
          {passed && <NextLesson next={lesson.next} withSolution={withSolution} leavesProbesOpen={lesson.checks.some((c) => c.closedIn)} />}
        </div>
        <Splitter orientation="vertical" pane="before" paneId="lesson-column" label="Resize the lesson column" size={lessonColumn} bounds={LESSON_COLUMN.bounds} onResize={setLessonColumn} testId="column-splitter" />
        <div className="work-column" style={cssVars({ '--terminal-share': `${terminalShare}%` })}>
          <RunToolbar
            fileName={lesson.starterFileName}
            run={run.state}
            connected={connected}
            sourceBytes={code.sourceBytes}
            maxSourceBytes={maxSourceBytes}
            canReset={!code.isStarter}
            canRestore={code.canRestore}
            notice={compareError ?? code.notice}
            savedOnServer={code.savedOnServer}
            comparing={compare !== null}
            blocked={blocked?.message ?? null}
            onRun={startRun}
            tracing={tracing}
            onTracing={setTracing}
            tabMovesFocus={tabMovesFocus}
            onCancel={run.cancel}
            onReset={code.reset}
            onRestore={code.restore}
            onCompare={() => (compare ? setCompare(null) : openCompare())}
          />
          {code.storageFailed && (
            <p className="storage-warning" role="alert">
              This browser would not save your code (storage is full or disabled). It is safe while this tab stays open; copy it somewhere before closing.
            </p>
          )}
          {compare && (
            <div className="solution-bar" data-testid="solution-bar">
              <span className="solution-bar-text" data-testid="solution-bar-text">
                Your code against the lesson’s solution: <span className="diff-word-removed">removed lines (−) are your code</span>, <span className="diff-word-added">added lines (+) the solution</span>.
              </span>
              <button type="button" className="button" data-testid="use-solution" onClick={useSolution} title="Put the solution in the editor; your code stays restorable">
                Use solution
              </button>
              <button type="button" className="button button-quiet" data-testid="close-compare" onClick={() => setCompare(null)}>
                Back to my code
              </button>
            </div>
          )}
          {compare && <SolutionDiff lessonId={lesson.id} mine={compare.mine} solution={compare.solution} />}
          <div className="code-editor-slot" hidden={compare !== null} style={{ display: compare ? 'none' : 'contents' }}>
            <CodeEditor modelKey={lesson.id} fileName={lesson.starterFileName} initialValue={code.initial} diagnostics={diagnostics} onChange={code.onChange} onRun={startRun} handleRef={editorRef} readOnly={blocked?.readOnly ?? false} onTabMovesFocus={setTabMovesFocus} />
          </div>
          <Splitter orientation="horizontal" pane="after" paneId="terminal-stack" label="Resize the terminal" size={terminalShare} bounds={TERMINAL.bounds} onResize={setTerminalShare} testId="terminal-splitter" />
          <TerminalTabs tab={tab} onTab={setTab} outputRef={terminalRef} shellRef={shellRef} shell={shell.state} connected={connected} onOpenShell={openShell} onCloseShell={shell.close} />
        </div>
      </div>
    </>
  );
}
