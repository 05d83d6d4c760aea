import type { Pos05Finding } from '@jaillab/protocol';
import { Link } from '../app/Link.js';
import { lessonPath } from '../app/router.js';
import './replay.css';

/** A finding, and the check whose replay shows its step. */
export interface RunFinding extends Pos05Finding {
  checkIndex: number;
}

/** The run's findings: each rule once, from the first check whose replay found it (they are about the jail program). */
export function runFindings(byCheck: ReadonlyArray<{ findings: readonly Pos05Finding[] } | undefined>): RunFinding[] {
  const seen = new Map<string, RunFinding>();
  byCheck.forEach((f, checkIndex) => {
    for (const finding of f?.findings ?? []) if (!seen.has(finding.rule)) seen.set(finding.rule, { ...finding, checkIndex });
  });
  return [...seen.values()];
}

interface Props {
  findings: readonly RunFinding[];
  /** Open a check's replay at a step. */
  onShowStep(checkIndex: number, step: number): void;
}

/**
 * The POS05-C checker's findings, once for the run: they are about the jail program, not one probe. Each says
 * the rule, what the program did, the step that shows it (in the replay it came from), the lesson with the fix.
 */
export function FindingsList({ findings, onShowStep }: Props) {
  if (findings.length === 0) return null;
  return (
    <div className="findings" data-testid="findings">
      <p className="findings-heading">CERT POS05-C, from what your program did:</p>
      <ul>
        {findings.map((f) => (
          <li key={f.rule} className="finding" data-testid="finding" data-rule={f.rule}>
            <strong className="finding-title">{f.title}</strong> <span className="finding-text">{f.explanation}</span>{' '}
            {f.step !== null && (
              <button type="button" className="link-button" data-testid="finding-step" onClick={() => onShowStep(f.checkIndex, f.step!)}>
                step {f.step + 1}
              </button>
            )}
            {f.lesson && (
              <>
                {' · '}
                <Link href={lessonPath(f.lesson.id)} data-testid="finding-lesson">
                  {f.lesson.title}
                </Link>
              </>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
