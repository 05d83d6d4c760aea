import type { Diagnostic } from '@jaillab/protocol';

/**
 * gcc's -fdiagnostics-format=json output (one JSON array per compiler pass on
 * stderr) plus the linker's plain-text errors, turned into editor markers and
 * into readable text for the terminal.
 */

interface GccLocation {
  caret?: { file?: string; line?: number; column?: number };
  finish?: { file?: string; line?: number; column?: number };
}
interface GccDiagnostic {
  kind?: string;
  message?: string;
  option?: string;
  locations?: GccLocation[];
  children?: GccDiagnostic[];
}

function severity(kind: string | undefined): Diagnostic['severity'] {
  if (kind === 'warning') return 'warning';
  if (kind === 'note') return 'note';
  return 'error';
}

function toDiagnostic(d: GccDiagnostic, fileName: string): Diagnostic | null {
  const loc = d.locations?.find((l) => l.caret?.file === fileName) ?? null;
  if (!loc?.caret?.line) {
    // A problem reported in a header or without a place: pin it to the first line so it is still seen.
    if (!d.message) return null;
    return { severity: severity(d.kind), message: d.message, line: 1, column: 1, endLine: 1, endColumn: 1, ...(d.option ? { option: d.option } : {}) };
  }
  const line = loc.caret.line;
  const column = loc.caret.column ?? 1;
  const finish = loc.finish?.file === fileName ? loc.finish : null;
  return {
    severity: severity(d.kind),
    message: d.message ?? '',
    line,
    column,
    endLine: finish?.line ?? line,
    endColumn: (finish?.column ?? column) + 1,
    ...(d.option ? { option: d.option } : {}),
  };
}

/** Finds the line where a symbol the linker could not resolve is used, so the marker lands on it. */
function lineOfSymbol(source: string, symbol: string): { line: number; column: number } {
  const lines = source.split('\n');
  const re = new RegExp(`\\b${symbol.replace(/[^A-Za-z0-9_]/g, '')}\\s*\\(`);
  for (let i = 0; i < lines.length; i++) {
    const m = re.exec(lines[i] ?? '');
    if (m) return { line: i + 1, column: m.index + 1 };
  }
  return { line: 1, column: 1 };
}

export interface ParsedDiagnostics {
  diagnostics: Diagnostic[];
  /** Lines that were not JSON (linker and driver messages), kept for the terminal. */
  plain: string[];
}

export function parseGccStderr(stderr: string, source: string, fileName: string): ParsedDiagnostics {
  const diagnostics: Diagnostic[] = [];
  const plain: string[] = [];
  for (const line of stderr.split('\n')) {
    const trimmed = line.trim();
    if (!trimmed) continue;
    if (trimmed.startsWith('[')) {
      try {
        for (const d of JSON.parse(trimmed) as GccDiagnostic[]) {
          const top = toDiagnostic(d, fileName);
          if (top) diagnostics.push(top);
          for (const child of d.children ?? []) {
            const c = toDiagnostic(child, fileName);
            if (c) diagnostics.push(c);
          }
        }
        continue;
      } catch {
        // not JSON after all: keep it as text
      }
    }
    const undefinedRef = /undefined reference to [`'‘]([^'’`]+)['’`]/.exec(trimmed);
    if (!undefinedRef) plain.push(trimmed);
    if (undefinedRef?.[1]) {
      const at = lineOfSymbol(source, undefinedRef[1]);
      diagnostics.push({
        severity: 'error',
        message: `undefined reference to '${undefinedRef[1]}': no function of that name exists (check the spelling, or the header you meant)`,
        line: at.line,
        column: at.column,
        endLine: at.line,
        endColumn: at.column + undefinedRef[1].length,
      });
    }
  }
  return { diagnostics, plain };
}

/** gcc-style text for the terminal: `jail.c:4:18: error: message`, the source line and a caret. */
export function renderDiagnostics(diagnostics: Diagnostic[], plain: string[], source: string, fileName: string): string {
  const lines = source.split('\n');
  const out: string[] = [];
  for (const d of diagnostics) {
    out.push(`${fileName}:${d.line}:${d.column}: ${d.severity}: ${d.message}${d.option ? ` [${d.option}]` : ''}`);
    const text = lines[d.line - 1];
    if (text !== undefined && d.line > 0) {
      out.push(`  ${String(d.line).padStart(4)} | ${text}`);
      out.push(`       | ${' '.repeat(Math.max(0, d.column - 1))}^`);
    }
  }
  for (const p of plain) if (!/^collect2: error: ld returned/.test(p) && !/in function `/.test(p) && !/^\/usr\/bin\/ld: \/tmp\//.test(p)) out.push(p);
  return out.join('\n');
}
