import type { editor } from 'monaco-editor/editor/editor.api';
import { useEffect, useRef } from 'react';
import { usePrefersDark } from '../ui/use-color-scheme.js';
import { DARK_THEME, LIGHT_THEME, monaco } from './monaco.js';
import './editor.css';

interface Props {
  lessonId: string;
  mine: string;
  solution: string;
}

/**
 * Monaco's diff editor, read-only and inline: lines only in the learner's code are removed lines (−, red), lines
 * only in the solution added ones (+, green); the bar above says so in the same words. Inline always, not side
 * by side: the editor column is narrower than Monaco's side-by-side breakpoint on most screens, so "left" and
 * "right" described a layout the learner did not see. It opens at the first change.
 */
export function SolutionDiff({ lessonId, mine, solution }: Props) {
  const hostRef = useRef<HTMLDivElement>(null);
  const dark = usePrefersDark();
  const darkRef = useRef(dark);
  darkRef.current = dark;

  useEffect(() => {
    const stamp = Date.now().toString(36);
    const original = monaco.editor.createModel(mine, 'c', monaco.Uri.from({ scheme: 'jaillab-diff', path: `/${lessonId}/${stamp}/mine.c` }));
    const modified = monaco.editor.createModel(solution, 'c', monaco.Uri.from({ scheme: 'jaillab-diff', path: `/${lessonId}/${stamp}/solution.c` }));
    const diff: editor.IStandaloneDiffEditor = monaco.editor.createDiffEditor(hostRef.current!, {
      theme: darkRef.current ? DARK_THEME : LIGHT_THEME,
      readOnly: true,
      originalEditable: false,
      automaticLayout: true,
      renderSideBySide: false,
      renderIndicators: true,
      fontSize: 14,
      lineHeight: 21,
      minimap: { enabled: false },
      scrollBeyondLastLine: false,
      fixedOverflowWidgets: true,
      // Not 'dimmed': that greys the last line number out below AA contrast (as in CodeEditor).
      renderFinalNewline: 'on',
      ariaLabel: 'Your code compared with the lesson’s solution: removed lines are your code, added lines the solution',
    });
    diff.setModel({ original, modified });
    // Open at the first change (the diff is computed after the models are set): when the only change is below
    // the fold, line 1 showed nothing different at all.
    const shown = diff.onDidUpdateDiff(() => {
      shown.dispose();
      const first = diff.getLineChanges()?.[0];
      if (!first) return;
      // A pure deletion has no modified lines: its start is the line it follows.
      const line = Math.max(1, first.modifiedStartLineNumber);
      diff.getModifiedEditor().revealLineNearTop(line);
      hostRef.current?.setAttribute('data-first-change', String(line));
    });
    // Each side is an editor of its own with a text input, which needs a name of its own (WCAG 4.1.2);
    // the diff editor's originalAriaLabel / modifiedAriaLabel options do not reach those inputs in Monaco 0.57.
    diff.getOriginalEditor().updateOptions({ ariaLabel: 'Your code (read-only)' });
    diff.getModifiedEditor().updateOptions({ ariaLabel: 'The lesson’s solution (read-only)' });
    return () => {
      shown.dispose();
      diff.dispose();
      original.dispose();
      modified.dispose();
    };
  }, [lessonId, mine, solution]);

  return <div className="code-editor solution-diff" ref={hostRef} data-testid="solution-diff" />;
}
