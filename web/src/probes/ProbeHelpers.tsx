import type { ProbeHelper } from '@jaillab/protocol';

/** probe.h's helpers, documented from the header itself, beside the probe editor. */
export function ProbeHelpers({ helpers, header }: { helpers: ProbeHelper[]; header: string }) {
  return (
    <section className="probe-helpers" aria-labelledby="probe-helpers-title" data-testid="probe-helpers">
      <h2 id="probe-helpers-title">probe.h</h2>
      <p>
        Every probe may <code>#include &quot;probe.h&quot;</code>. Call <code>probe_start()</code> first, report each failed attempt with{' '}
        <code>probe_blocked()</code> (the last one is the verdict&apos;s reason), and print what you read with <code>probe_try_read()</code>. Its exit status
        is its report: <code>PROBE_ESCAPED</code> (0) once it reached the secret, <code>PROBE_CONTAINED</code> (1) when it found no way out. The host
        judges the evidence (the check&apos;s canary in the output, the nonce in <code>/outside/proof</code>), never the probe&apos;s words.
      </p>
      <dl>
        {helpers.map((h) => (
          <div key={h.name} className="probe-helper">
            <dt>
              <code>{h.signature}</code>
            </dt>
            <dd>{h.doc || 'No comment in probe.h.'}</dd>
          </div>
        ))}
      </dl>
      <details>
        <summary>The whole of probe.h</summary>
        <pre className="drop-in-code" tabIndex={0} aria-label="probe.h">
          {header}
        </pre>
      </details>
    </section>
  );
}
