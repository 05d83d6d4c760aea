import type { CheckInfo, RunEvent, Verdict } from '@jaillab/protocol';
import { plural } from '../text/plural.js';
import type { AckBatcher } from './ack-batcher.js';
import type { TerminalView } from './terminal-view.js';

/**
 * Writes one run into the terminal as a readable transcript: the compiler's
 * output, then each check's output under a dim header line, each verdict as a
 * coloured line, and the summary. Program output is written as raw bytes (colours
 * and partial UTF-8 arrive as the program wrote them) and acknowledged to the
 * server once xterm has consumed it.
 */

const ESC = '\x1b[';
// "Dim" is the theme's grey (bright black, 4.5:1 or more on the background), not SGR 2: xterm.js draws that at half opacity, below AA contrast.
const dim = (s: string): string => `${ESC}90m${s}${ESC}39m`;
const bold = (s: string): string => `${ESC}1m${s}${ESC}22m`;
const colour = (code: number, s: string): string => `${ESC}${code}m${s}${ESC}39m`;
const red = (s: string): string => colour(31, s);
const green = (s: string): string => colour(32, s);
const yellow = (s: string): string => colour(33, s);
const cyan = (s: string): string => colour(36, s);

const NL = '\r\n';

/** A rule like `── check 1 · The working directory left outside ──────`, as wide as the terminal (up to 100). */
export function sectionHeader(label: string, columns: number): string {
  const head = `── ${label} `;
  const width = Math.max(head.length + 2, Math.min(columns, 100));
  return head + '─'.repeat(Math.max(2, width - head.length));
}

/** gcc prints plain `\n` lines; colour the severities the way gcc does in a terminal. */
export function formatCompilerText(text: string): string {
  const severity: Record<string, (s: string) => string> = { 'fatal error': red, error: red, warning: yellow, note: cyan };
  return text
    .replace(/\r?\n/g, '\n')
    .replace(/^(.*?:\d+:\d+: )(fatal error|error|warning|note)(:)/gm, (_m, loc: string, sev: string, colon: string) => bold(loc) + bold(severity[sev]!(sev)) + colon)
    .replace(/\n/g, NL);
}

const VERDICT_LINE: Record<Verdict, (reason: string) => string> = {
  escaped: (r) => bold(red(`✗ escaped`)) + ` — ${r}`,
  contained: (r) => bold(green(`✓ contained`)) + ` — ${r}`,
  passed: (r) => bold(green(`✓ passed`)) + ` — ${r}`,
  failed: (r) => bold(red(`✗ failed`)) + ` — ${r}`,
  error: (r) => bold(yellow(`! could not judge`)) + ` — ${r}`,
};

/**
 * A check's verdict line. A probe the lesson leaves open on purpose (it is closed in a later lesson) escaped, yet
 * the run does not fail for it: the panel says "still open — closed in …" in amber, and so does this line, not a
 * red "✗ escaped" for the same check.
 */
export function verdictLine(verdict: Verdict, reason: string, info: CheckInfo | undefined): string {
  // The judge's reason starts "escaped: …"; under "still open" the rest says what the probe did.
  if (verdict === 'escaped' && info?.closedIn) return bold(yellow(`◐ still open`)) + ` (closed in ${info.closedIn.title}) — ${reason.replace(/^escaped:\s*/i, '')}`;
  return VERDICT_LINE[verdict](reason);
}

function seconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export class RunTranscript {
  private checks: CheckInfo[] = [];
  /** Whether the cursor is at the start of a line, so our own lines never glue onto program output. */
  private atLineStart = true;

  constructor(
    private readonly view: TerminalView,
    private readonly acks: AckBatcher,
  ) {}

  /** A new run (or a replay of one) starts: clear the screen. */
  begin(intro?: string): void {
    this.view.clear();
    this.atLineStart = true;
    if (intro) this.line(dim(intro));
  }

  /** A line of our own (not program output), e.g. a refusal. */
  note(text: string): void {
    this.line(text);
  }

  /** Output from the server's record of an earlier run: nothing to acknowledge, no socket bytes behind it. */
  replayOutput(data: Uint8Array): void {
    if (data.byteLength === 0) return;
    this.atLineStart = data[data.byteLength - 1] === 0x0a;
    this.view.write(data);
  }

  output(data: Uint8Array, generation: number): void {
    if (data.byteLength === 0) return;
    const last = data[data.byteLength - 1];
    this.atLineStart = last === 0x0a;
    const bytes = data.byteLength;
    this.view.write(data, () => this.acks.written(bytes, generation));
  }

  event(e: RunEvent): void {
    switch (e.type) {
      case 'created':
        this.checks = e.checks;
        return;
      case 'queued':
        this.line(dim(e.position === 0 ? 'Waiting for a free VM: you are next.' : `Waiting for a free VM: ${plural(e.position, 'run')} ahead of you.`));
        return;
      case 'compile-started':
        this.line(dim(sectionHeader('compile · gcc', this.view.columns)));
        return;
      case 'compile-finished': {
        if (e.text.trim()) this.line(formatCompilerText(e.text.replace(/\s+$/, '')));
        const how = `${seconds(e.durationMs)}${e.cached ? ', cached' : ''}`;
        if (e.ok) {
          const warnings = e.diagnostics.filter((d) => d.severity === 'warning').length;
          this.line(green('✓ compiled') + dim(` (${how})`) + (warnings ? yellow(` with ${plural(warnings, 'warning')}`) : ''));
        } else {
          const errors = e.diagnostics.filter((d) => d.severity === 'error').length;
          this.line(bold(red('✗ did not compile')) + (errors ? ` — ${plural(errors, 'error')}, marked in the editor` : ''));
        }
        return;
      }
      case 'vm-ready':
        return;
      case 'check-started': {
        const info = this.checks[e.index];
        const label = `check ${e.index + 1} · ${info?.title ?? 'check'}`;
        this.line('');
        this.line(dim(sectionHeader(label, this.view.columns)));
        return;
      }
      case 'check-finished':
        this.line(verdictLine(e.verdict, e.reason, this.checks[e.index]));
        return;
      case 'vm-fault':
        this.line(bold(yellow('⚠ VM fault')) + ` — ${e.message}`);
        return;
      case 'finished': {
        const mark = e.outcome === 'passed' ? green('✓') : e.outcome === 'cancelled' ? yellow('■') : red('✗');
        this.line('');
        this.line(`${mark} ${bold(e.message)} ${dim(`(${seconds(e.durationMs)})`)}`);
        return;
      }
    }
  }

  private line(text: string): void {
    const prefix = this.atLineStart ? '' : NL;
    this.view.write(prefix + text + NL);
    this.atLineStart = true;
  }
}
