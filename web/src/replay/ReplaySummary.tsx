import type { CheckTrace } from '@jaillab/protocol';
import { callText } from './trace-view.js';
import './replay.css';

/** One line under a check: the step the replay highlights, in words (where the probe got out, or what was refused). */
export function ReplaySummary({ trace }: { trace: CheckTrace }) {
  const at = (i: number | null) => (i === null ? undefined : trace.steps.find((s) => s.i === i));
  const out = at(trace.highlights.outside);
  const secret = at(trace.highlights.secret);
  const refused = at(trace.highlights.refused);
  const text = out
    ? `Got out at step ${out.i + 1}: ${callText(out)}${secret && secret !== out ? `; read the secret at step ${secret.i + 1}` : ''}.`
    : secret
      ? `Read the secret at step ${secret.i + 1}: ${callText(secret)}.`
      : refused
        ? `Refused at step ${refused.i + 1}: ${callText(refused)}.`
        : null;
  if (!text) return null;
  return (
    <p className="replay-summary" data-testid="replay-summary">
      {text}
    </p>
  );
}
