import type { LessonView } from '@jaillab/protocol';
import { utf8Length } from '@jaillab/protocol';
import { type RefObject, useCallback, useState } from 'react';
import type { CodeEditorHandle } from '../editor/CodeEditor.js';
import { loadCodeBeforeReset, loadSavedCode, saveCode, saveCodeBeforeReset } from './saved-code.js';

export interface LessonCode {
  /** What the editor starts with: the learner's saved code, else the starter. */
  initial: string;
  sourceBytes: number;
  isStarter: boolean;
  canRestore: boolean;
  /** Set when the browser refused to store the code (storage disabled or full). */
  storageFailed: boolean;
  notice: string | null;
  onChange(value: string): void;
  reset(): void;
  restore(): void;
}

/**
 * The learner's code for one lesson: loaded from and saved to localStorage on
 * every change; reset to the starter keeps the replaced code restorable.
 * Edits go through the editor (as undoable edits), so Ctrl+Z works too.
 */
export function useLessonCode(lesson: LessonView, editor: RefObject<CodeEditorHandle | null>): LessonCode {
  const [initial] = useState(() => loadSavedCode(lesson.id) ?? lesson.starter);
  const [current, setCurrent] = useState(initial);
  const [beforeReset, setBeforeReset] = useState(() => loadCodeBeforeReset(lesson.id));
  const [storageFailed, setStorageFailed] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);

  const onChange = useCallback(
    (value: string) => {
      setCurrent(value);
      setNotice(null);
      if (!saveCode(lesson.id, value)) setStorageFailed(true);
    },
    [lesson.id],
  );

  const keepBeforeReset = useCallback(
    (code: string | null) => {
      setBeforeReset(code);
      if (!saveCodeBeforeReset(lesson.id, code)) setStorageFailed(true);
    },
    [lesson.id],
  );

  const reset = useCallback(() => {
    const ed = editor.current;
    if (!ed) return;
    const mine = ed.getValue();
    if (mine === lesson.starter) return;
    keepBeforeReset(mine);
    ed.replaceAll(lesson.starter);
    setNotice('Back to the starter code. Yours is kept: “Restore my code”.');
  }, [editor, lesson.starter, keepBeforeReset]);

  const restore = useCallback(() => {
    const ed = editor.current;
    if (!ed || beforeReset === null) return;
    const now = ed.getValue();
    // Swap rather than drop: edits made to the starter since the reset stay restorable too.
    keepBeforeReset(now !== lesson.starter && now !== beforeReset ? now : null);
    ed.replaceAll(beforeReset);
    setNotice('Your code is back.');
  }, [editor, beforeReset, lesson.starter, keepBeforeReset]);

  return {
    initial,
    sourceBytes: utf8Length(current),
    isStarter: current === lesson.starter,
    canRestore: beforeReset !== null,
    storageFailed,
    notice,
    onChange,
    reset,
    restore,
  };
}
