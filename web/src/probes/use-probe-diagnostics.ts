import type { Diagnostic } from '@jaillab/protocol';
import { useEffect, useState } from 'react';
import { useConnection } from '../app/connection.js';

/** How long the editor waits after the last keystroke before gcc looks at the draft. */
const COMPILE_AFTER_MS = 700;

/**
 * gcc's word on a probe draft, once typing pauses: its diagnostics (the
 * editor's markers) and a one-line status. The probe editor and a student's
 * break-it round both use it; the server compiles as a run would (probe.h
 * beside it), in the compiler's sandbox.
 */
export function useProbeDiagnostics(source: string, enabled: boolean): { diagnostics: Diagnostic[]; status: string | null } {
  const { attacks } = useConnection();
  const [diagnostics, setDiagnostics] = useState<Diagnostic[]>([]);
  const [status, setStatus] = useState<string | null>(null);
  useEffect(() => {
    if (!enabled) return;
    let live = true;
    const timer = setTimeout(() => {
      attacks.compile(source).then(
        (r) => {
          if (!live) return;
          setDiagnostics(r.diagnostics);
          setStatus(r.ok ? (r.diagnostics.length ? 'Compiles, with warnings.' : 'Compiles.') : 'Does not compile: see the marked lines.');
        },
        () => live && setStatus(null),
      );
    }, COMPILE_AFTER_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [source, enabled, attacks]);
  return { diagnostics, status };
}
