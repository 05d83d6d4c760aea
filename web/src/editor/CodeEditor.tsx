import type { Diagnostic } from '@jaillab/protocol';
import type { editor } from 'monaco-editor/editor/editor.api';
import { type RefObject, useEffect, useRef } from 'react';
import { usePrefersDark } from '../ui/use-color-scheme.js';
import { useIsPhone } from '../ui/use-phone.js';
import { showDiagnostics } from './diagnostic-markers.js';
import { DARK_THEME, LIGHT_THEME, monaco } from './monaco.js';
import './editor.css';

/** What the lesson page can do to the editor besides typing. */
export interface CodeEditorHandle {
  getValue(): string;
  /** Replaces everything as one undoable edit (Ctrl+Z brings the old text back). */
  replaceAll(text: string): void;
  focus(): void;
  /** Follows a change made elsewhere (another tab): one undoable edit, the cursor stays where it was. */
  follow(text: string): void;
}

interface Props {
  /** Identifies the file: one Monaco model per lesson, kept while the page lives (undo history survives navigation). */
  modelKey: string;
  fileName: string;
  initialValue: string;
  diagnostics: Diagnostic[];
  onChange(value: string): void;
  /** Ctrl/Cmd+Enter. */
  onRun(): void;
  handleRef: RefObject<CodeEditorHandle | null>;
  /** Nothing may be typed (a workshop that has ended keeps the work read-only). */
  readOnly?: boolean;
  /** Monaco's own way out of its Tab (Ctrl+M toggles it): whether Tab now moves focus instead of indenting. */
  onTabMovesFocus?(on: boolean): void;
}

function modelFor(modelKey: string, fileName: string, value: string): editor.ITextModel {
  const uri = monaco.Uri.from({ scheme: 'jaillab', path: `/${modelKey}/${fileName}` });
  const existing = monaco.editor.getModel(uri);
  if (!existing) return monaco.editor.createModel(value, 'c', uri);
  // Saved code is the truth (another tab may have changed it): sync, undoably.
  if (existing.getValue() !== value) existing.pushEditOperations([], [{ range: existing.getFullModelRange(), text: value }], () => null);
  return existing;
}

/** The C editor: Monaco with the learner's file, compile markers, and Run on Ctrl/Cmd+Enter. */
export function CodeEditor({ modelKey, fileName, initialValue, diagnostics, onChange, onRun, handleRef, readOnly = false, onTabMovesFocus }: Props) {
  const hostRef = useRef<HTMLDivElement>(null);
  const editorRef = useRef<editor.IStandaloneCodeEditor | null>(null);
  const dark = usePrefersDark();
  const phone = useIsPhone();
  // Callbacks change every render; the editor is made once and calls the latest through refs.
  const latest = useRef({ onChange, onRun, onTabMovesFocus, initialValue, dark });
  latest.current = { onChange, onRun, onTabMovesFocus, initialValue, dark };

  useEffect(() => {
    const model = modelFor(modelKey, fileName, latest.current.initialValue);
    const ed = monaco.editor.create(hostRef.current!, {
      model,
      theme: latest.current.dark ? DARK_THEME : LIGHT_THEME,
      ariaLabel: `C source: ${fileName}. Ctrl+Enter runs it. Tab indents; Ctrl+M makes Tab move focus. F6 moves to the next pane.`,
      automaticLayout: true,
      fontSize: 14,
      lineHeight: 21,
      fontFamily: 'ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", Menlo, Consolas, monospace',
      tabSize: 2,
      insertSpaces: true,
      detectIndentation: true,
      minimap: { enabled: false },
      scrollBeyondLastLine: false,
      padding: { top: 10, bottom: 10 },
      lineNumbersMinChars: 3,
      // 'dimmed' (the default) greys the last line's number out to below AA contrast (WCAG 1.4.3).
      renderFinalNewline: 'on',
      renderLineHighlight: 'line',
      // Hovers and the find widget may extend over the terminal instead of being clipped.
      fixedOverflowWidgets: true,
      stickyScroll: { enabled: false },
      wordBasedSuggestions: 'off',
      quickSuggestions: false,
      // Smooth scrolling is motion: not for someone who asked their system for less of it.
      smoothScrolling: !window.matchMedia('(prefers-reduced-motion: reduce)').matches,
    });
    editorRef.current = ed;
    handleRef.current = {
      getValue: () => model.getValue(),
      replaceAll: (text) => {
        ed.pushUndoStop();
        ed.executeEdits('jaillab', [{ range: model.getFullModelRange(), text }]);
        ed.pushUndoStop();
        ed.setPosition({ lineNumber: 1, column: 1 });
        ed.revealLine(1);
      },
      focus: () => ed.focus(),
      follow: (text) => {
        const selections = ed.getSelections();
        model.pushEditOperations(selections ?? [], [{ range: model.getFullModelRange(), text }], () => selections);
      },
    };
    const changes = model.onDidChangeContent(() => latest.current.onChange(model.getValue()));
    // Ctrl+M, Monaco's own key for "Tab moves focus", kept as the editor's option rather than Monaco's global
    // flag: the option can be read back, so the page can say which way Tab goes now.
    const tabMode = monaco.editor.EditorOption.tabFocusMode;
    latest.current.onTabMovesFocus?.(ed.getOption(tabMode));
    const tabModeChanges = ed.onDidChangeConfiguration((e) => {
      if (e.hasChanged(tabMode)) latest.current.onTabMovesFocus?.(ed.getOption(tabMode));
    });
    const toggleTab = ed.addAction({
      id: 'jaillab.toggleTabMovesFocus',
      label: 'Toggle Tab key moves focus',
      // Ctrl+M on every platform, as Monaco binds it (Cmd+M on a Mac minimises the window).
      keybindings: [(/Mac|iPhone|iPad/.test(navigator.platform) ? monaco.KeyMod.WinCtrl : monaco.KeyMod.CtrlCmd) | monaco.KeyCode.KeyM],
      run: () => ed.updateOptions({ tabFocusMode: !ed.getOption(tabMode) }),
    });
    // Overrides Monaco's own Ctrl+Enter ("insert line below"); also listed in the context menu.
    const run = ed.addAction({
      id: 'jaillab.run',
      label: 'Run the checks',
      keybindings: [monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter],
      contextMenuGroupId: 'navigation',
      contextMenuOrder: 0,
      run: () => latest.current.onRun(),
    });
    return () => {
      run.dispose();
      changes.dispose();
      tabModeChanges.dispose();
      toggleTab.dispose();
      handleRef.current = null;
      editorRef.current = null;
      ed.dispose();
    };
  }, [modelKey, fileName, handleRef]);

  useEffect(() => {
    monaco.editor.setTheme(dark ? DARK_THEME : LIGHT_THEME);
  }, [dark]);

  // Read-only on a phone (ui/use-phone.ts) and when the lesson's work is closed; wrapped on a phone:
  // long lines stay readable without scrolling sideways.
  useEffect(() => {
    editorRef.current?.updateOptions({ readOnly: phone || readOnly, domReadOnly: phone || readOnly, wordWrap: phone ? 'on' : 'off' });
  }, [phone, readOnly]);

  useEffect(() => {
    const model = editorRef.current?.getModel();
    if (model) showDiagnostics(model, diagnostics);
  }, [diagnostics, modelKey]);

  return <div className="code-editor" ref={hostRef} />;
}
