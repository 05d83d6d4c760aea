import type { Pos05Finding } from '@jaillab/protocol';
import { Link } from '../app/Link.js';
import { lessonPath } from '../app/router.js';
import './replay.css';

interface Props {
  findings: readonly Pos05Finding[];
  /** Open the replay at this step. */
  onShowStep(step: number): void;
}

/** The POS05-C checker's findings for one check: the rule, what the program did, the step that shows it, the lesson with the fix. */
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
              <button type="button" className="link-button" data-testid="finding-step" onClick={() => onShowStep(f.step!)}>
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
