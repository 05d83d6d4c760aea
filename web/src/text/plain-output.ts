// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|[\x00-\x08\x0b-\x1f\x7f]/g;

/**
 * A check's output as kept in a run record (base64), as plain text for a
 * <pre>: terminal escapes and control characters dropped, so a hostile
 * program's output cannot restyle or hide anything on the page.
 */
export function plainOutput(base64: string): string {
  return new TextDecoder().decode(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))).replace(ANSI, '');
}
