import type { LessonView } from '@jaillab/protocol';
import { utf8Length } from '@jaillab/protocol';
import { type RefObject, useCallback, useEffect, useRef, useState } from 'react';
import { useConnection } from '../app/connection.js';
import type { CodeEditorHandle } from '../editor/CodeEditor.js';
import { reconcileCode } from './reconcile-code.js';
import { loadCodeBeforeReset, loadSavedCode, loadSavedVersion, onCodeSavedElsewhere, saveCode, saveCodeBeforeReset } from './saved-code.js';

export interface LessonCode {
  /** What the editor starts with: the learner's saved code, else the starter. */
  initial: string;
  sourceBytes: number;
  /** The code as it is in the editor now. */
  source: string;
  isStarter: boolean;
  canRestore: boolean;
  /** Set when the browser refused to store the code (storage disabled or full). */
  storageFailed: boolean;
  notice: string | null;
  /** The server has this version (false while a save is waiting for the debounce or the connection). */
  savedOnServer: boolean;
  onChange(value: string): void;
  reset(): void;
  restore(): void;
  /** Puts `text` in the editor, keeping what it replaces restorable (Use solution). */
  replaceWith(text: string, notice: string): void;
}

/** Typing pauses this long before the code goes to the server (it is in localStorage at once). */
const SERVER_SAVE_DELAY_MS = 700;

/**
 * The learner's code for one lesson: saved to localStorage on every change and
 * to the server (debounced, and again after every reconnect); on opening, the
 * two copies are reconciled (newest wins, the other stays restorable).
 * Replacing the code (reset, use solution, a newer copy) always keeps what was
 * replaced behind "Restore my code". Edits go through the editor as undoable
 * edits, so Ctrl+Z works too.
 */
export function useLessonCode(lesson: LessonView, editor: RefObject<CodeEditorHandle | null>): LessonCode {
  const { socket, workspace } = useConnection();
  const [initial] = useState(() => loadSavedCode(lesson.id) ?? lesson.starter);
  const [current, setCurrent] = useState(initial);
  const [beforeReset, setBeforeReset] = useState(() => loadCodeBeforeReset(lesson.id));
  const [storageFailed, setStorageFailed] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [savedOnServer, setSavedOnServer] = useState(true);
  const saveTimer = useRef<number | undefined>(undefined);
  /** Set while the editor is being filled by reconciliation: that is not the learner typing. */
  const applyingServer = useRef(false);

  const pushToServer = useCallback(() => {
    window.clearTimeout(saveTimer.current);
    const version = loadSavedVersion(lesson.id);
    if (!version) return;
    // "Saved" waits for the server's code-saved (below); a save that could not be sent stays pending.
    workspace.saveCode(lesson.id, version);
  }, [lesson.id, workspace]);

  useEffect(
    () =>
      workspace.codeSaved.on(({ lessonId, editedAt }) => {
        if (lessonId === lesson.id && editedAt >= (loadSavedVersion(lesson.id)?.editedAt ?? 0)) setSavedOnServer(true);
      }),
    [lesson.id, workspace],
  );

  const onChange = useCallback(
    (value: string) => {
      setCurrent(value);
      if (applyingServer.current) return;
      setNotice(null);
      if (!saveCode(lesson.id, value)) setStorageFailed(true);
      setSavedOnServer(false);
      window.clearTimeout(saveTimer.current);
      saveTimer.current = window.setTimeout(pushToServer, SERVER_SAVE_DELAY_MS);
    },
    [lesson.id, pushToServer],
  );

  // Leaving the lesson (or closing the tab) sends what is pending now rather than never.
  useEffect(() => {
    const flush = () => {
      if (saveTimer.current !== undefined) pushToServer();
    };
    window.addEventListener('pagehide', flush);
    return () => {
      window.removeEventListener('pagehide', flush);
      flush();
    };
  }, [pushToServer]);

  // Another tab of this browser edits the same lesson: follow it live, so whichever tab the learner
  // types in next builds on the latest text and no keystroke from either is overwritten.
  useEffect(
    () =>
      onCodeSavedElsewhere(lesson.id, (source) => {
        const ed = editor.current;
        if (!ed || ed.getValue() === source) return;
        applyingServer.current = true;
        try {
          ed.follow(source);
        } finally {
          applyingServer.current = false;
        }
        window.clearTimeout(saveTimer.current);
        saveTimer.current = undefined;
      }),
    [lesson.id, editor],
  );

  // After a reconnect (a server restart, a network blip) the server may have missed saves: send ours again.
  useEffect(() => socket.welcomed.on(() => pushToServer()), [socket, pushToServer]);

  const keepBeforeReset = useCallback(
    (code: string | null) => {
      setBeforeReset(code);
      if (!saveCodeBeforeReset(lesson.id, code)) setStorageFailed(true);
    },
    [lesson.id],
  );

  // Opening the lesson: the server's copy against ours.
  useEffect(() => {
    let live = true;
    void workspace.lessonState(lesson.id).then((state) => {
      if (!live) return;
      const r = reconcileCode(loadSavedVersion(lesson.id), state.code, lesson.starter);
      if (r.action === 'push') {
        setSavedOnServer(false);
        workspace.saveCode(lesson.id, r.code);
      }
      if (r.action !== 'take-server') return;
      const ed = editor.current;
      if (!ed || ed.getValue() === r.code.source) {
        saveCode(lesson.id, r.code.source, r.code.editedAt);
        return;
      }
      if (r.keep !== null) keepBeforeReset(r.keep);
      applyingServer.current = true;
      try {
        ed.replaceAll(r.code.source);
      } finally {
        applyingServer.current = false;
      }
      saveCode(lesson.id, r.code.source, r.code.editedAt);
      setNotice(r.keep !== null ? 'Loaded your newer code from another tab or device. This browser’s version is kept: “Restore my code”.' : 'Loaded your code from the server.');
    });
    return () => {
      live = false;
    };
  }, [lesson.id, lesson.starter, workspace, editor, keepBeforeReset]);

  const replaceWith = useCallback(
    (text: string, message: string) => {
      const ed = editor.current;
      if (!ed) return;
      const mine = ed.getValue();
      if (mine === text) return;
      // The starter is always one click away; anything else the learner wrote is kept.
      if (mine !== lesson.starter) keepBeforeReset(mine);
      ed.replaceAll(text);
      setNotice(message);
    },
    [editor, lesson.starter, keepBeforeReset],
  );

  const reset = useCallback(() => replaceWith(lesson.starter, 'Back to the starter code. Yours is kept: “Restore my code”.'), [replaceWith, lesson.starter]);

  const restore = useCallback(() => {
    const ed = editor.current;
    if (!ed || beforeReset === null) return;
    const now = ed.getValue();
    // Swap rather than drop: edits made since the replacement stay restorable too.
    keepBeforeReset(now !== lesson.starter && now !== beforeReset ? now : null);
    ed.replaceAll(beforeReset);
    setNotice('Your code is back.');
  }, [editor, beforeReset, lesson.starter, keepBeforeReset]);

  return {
    initial,
    sourceBytes: utf8Length(current),
    source: current,
    isStarter: current === lesson.starter,
    canRestore: beforeReset !== null,
    storageFailed,
    notice,
    savedOnServer,
    onChange,
    reset,
    restore,
    replaceWith,
  };
}
