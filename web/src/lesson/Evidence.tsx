/**
 * An escape's evidence: the line of probe output where the outside secret
 * appeared. The secret itself is pulled out and shown large — it is the proof
 * that the jail leaked, and what the lesson wants the learner to see.
 */
const SECRET = /SECRET-[A-Za-z0-9]+/;

export function Evidence({ text, escaped }: { text: string; escaped: boolean }) {
  const secret = escaped ? SECRET.exec(text)?.[0] : undefined;
  const at = secret ? text.indexOf(secret) : -1;
  return (
    <div className={`evidence${escaped ? ' evidence-escape' : ''}`}>
      {secret && (
        <p className="evidence-secret">
          <span>The probe read the outside secret:</span> <code>{secret}</code>
        </p>
      )}
      <pre className="evidence-line" aria-label="evidence from the probe's output">
        {at >= 0 && secret ? (
          <>
            {text.slice(0, at)}
            <mark>{secret}</mark>
            {text.slice(at + secret.length)}
          </>
        ) : (
          text
        )}
      </pre>
    </div>
  );
}
