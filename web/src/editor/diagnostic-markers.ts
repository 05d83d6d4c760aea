import type { Diagnostic } from '@jaillab/protocol';
import type { editor } from 'monaco-editor/editor/editor.api';
import { monaco } from './monaco.js';

/** Markers we own on a model; a new run replaces all of them at once. */
export const GCC_MARKER_OWNER = 'gcc';

const SEVERITY = {
  error: monaco.MarkerSeverity.Error,
  warning: monaco.MarkerSeverity.Warning,
  note: monaco.MarkerSeverity.Info,
} as const;

/**
 * gcc's diagnostics (1-based lines and columns in the learner's file) as
 * Monaco markers: squiggles, hovers, and F8 to step through them. Ranges are
 * clamped to the model (the source may have changed since it was compiled) and
 * widened to at least one character so every marker is visible.
 */
export function diagnosticsToMarkers(diagnostics: Diagnostic[], model: editor.ITextModel): editor.IMarkerData[] {
  const lines = model.getLineCount();
  return diagnostics.map((d) => {
    const startLineNumber = Math.min(Math.max(1, d.line), lines);
    const endLineNumber = Math.min(Math.max(startLineNumber, d.endLine), lines);
    const startColumn = Math.min(Math.max(1, d.column), model.getLineMaxColumn(startLineNumber));
    let endColumn = Math.min(Math.max(1, d.endColumn), model.getLineMaxColumn(endLineNumber));
    if (endLineNumber === startLineNumber && endColumn <= startColumn) endColumn = startColumn + 1;
    return {
      severity: SEVERITY[d.severity],
      message: d.message,
      source: 'gcc',
      ...(d.option ? { code: d.option } : {}),
      startLineNumber,
      startColumn,
      endLineNumber,
      endColumn,
    };
  });
}

export function showDiagnostics(model: editor.ITextModel, diagnostics: Diagnostic[]): void {
  monaco.editor.setModelMarkers(model, GCC_MARKER_OWNER, diagnosticsToMarkers(diagnostics, model));
}
