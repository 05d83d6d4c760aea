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

/** Monaco's diff editor, read-only: the learner's code on the left, the lesson's solution on the right. */
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
      renderSideBySide: true,
      fontSize: 14,
      lineHeight: 21,
      minimap: { enabled: false },
      scrollBeyondLastLine: false,
      fixedOverflowWidgets: true,
      // Not 'dimmed': that greys the last line number out below AA contrast (as in CodeEditor).
      renderFinalNewline: 'on',
      ariaLabel: 'Your code (left) compared with the lesson’s solution (right)',
    });
    diff.setModel({ original, modified });
    // Each side is an editor of its own with a text input, which needs a name of its own (WCAG 4.1.2);
    // the diff editor's originalAriaLabel / modifiedAriaLabel options do not reach those inputs in Monaco 0.57.
    diff.getOriginalEditor().updateOptions({ ariaLabel: 'Your code (read-only)' });
    diff.getModifiedEditor().updateOptions({ ariaLabel: 'The lesson’s solution (read-only)' });
    return () => {
      diff.dispose();
      original.dispose();
      modified.dispose();
    };
  }, [lessonId, mine, solution]);

  return <div className="code-editor solution-diff" ref={hostRef} data-testid="solution-diff" />;
}
