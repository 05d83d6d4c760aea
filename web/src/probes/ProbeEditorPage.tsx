import { type CourseOutline, type ExtraProbe, ProbeDraft } from '@jaillab/protocol';
import { useEffect, useRef, useState } from 'react';
import type { ProbeLibraryView } from '../api/attack-client.js';
import { useConnection, useLastWelcome } from '../app/connection.js';
import { Link } from '../app/Link.js';
import { CodeEditor, type CodeEditorHandle } from '../editor/CodeEditor.js';
import { KeepProbe } from './KeepProbe.js';
import { EMPTY_DRAFT, loadDraft, saveDraft, type StoredDraft } from './probe-draft.js';
import { ProbeHelpers } from './ProbeHelpers.js';
import { ProbeTry } from './ProbeTry.js';
import { useProbeDiagnostics } from './use-probe-diagnostics.js';
import './probes.css';

/** The draft as the server takes it, or what is wrong with it in words. */
function validDraft(d: StoredDraft): ProbeDraft | string {
  const r = ProbeDraft.safeParse(d);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  return `${issue.path.join('.') || 'the probe'}: ${issue.message}`;
}

/**
 * /instructor/probes: write a new escape probe in the browser (Monaco, with
 * gcc's diagnostics as markers and probe.h documented beside it), try it
 * against a lesson's programs, keep it as a probe folder, and from the
 * dashboard fire it at a room.
 */
export function ProbeEditorPage({ outline }: { outline: CourseOutline | null }) {
  const { attacks } = useConnection();
  const welcome = useLastWelcome();
  const instructor = welcome?.instructor === true;
  const [draft, setDraft] = useState<StoredDraft>(() => loadDraft() ?? EMPTY_DRAFT);
  const [library, setLibrary] = useState<ProbeLibraryView | null>(null);
  const editorRef = useRef<CodeEditorHandle | null>(null);
  const draftRef = useRef(draft);
  draftRef.current = draft;

  useEffect(() => {
    document.title = 'Probe editor · JailLab';
  }, []);
  const loadLibrary = () =>
    void attacks.library().then(setLibrary, () => setLibrary(null));
  useEffect(() => {
    if (instructor) loadLibrary();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [instructor, attacks]);

  const { diagnostics, status: compileText } = useProbeDiagnostics(draft.source, instructor);

  const update = (patch: Partial<StoredDraft>) => {
    const next = { ...draftRef.current, ...patch };
    draftRef.current = next;
    setDraft(next);
    saveDraft(next);
  };
  const asExtraProbe = (): ExtraProbe | string => {
    const d = validDraft(draftRef.current);
    return typeof d === 'string' ? d : { name: d.id, title: d.title, source: d.source };
  };

  if (!instructor)
    return (
      <div className="workshop-page">
        <p>
          The probe editor is for instructors. <Link href="/instructor">Enter the instructor token</Link> first.
        </p>
      </div>
    );
  if (!outline) return <div className="page-message" aria-busy="true">Loading the course…</div>;
  return (
    <div className="workshop-page probe-editor-page" data-testid="probe-editor">
      <header className="dashboard-header">
        <h1>Probe editor</h1>
        <Link href="/instructor">Back to your workshops</Link>
      </header>
      <div className="probe-editor-body">
        <section className="probe-draft" aria-labelledby="probe-draft-title">
          <h2 id="probe-draft-title">Your probe</h2>
          <div className="probe-fields">
            <label>
              Name (its folder, and its id in a lesson)
              <input value={draft.id} onChange={(e) => update({ id: e.target.value })} data-testid="probe-id" spellCheck={false} />
            </label>
            <label>
              Title
              <input value={draft.title} onChange={(e) => update({ title: e.target.value })} data-testid="probe-title" />
            </label>
            <label>
              Start from a library probe{' '}
              <select
                value=""
                onChange={(e) => {
                  const p = library?.probes.find((x) => x.id === e.target.value);
                  if (p) editorRef.current?.replaceAll(p.source);
                }}
                data-testid="probe-start-from"
              >
                <option value="">(keep what is in the editor)</option>
                {library?.probes
                  .filter((p) => p.kind === 'escape')
                  .map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.title}
                    </option>
                  ))}
              </select>
            </label>
          </div>
          <label className="probe-explanation">
            Explanation for learners (one paragraph; its first sentence is the summary)
            <textarea value={draft.explanation} onChange={(e) => update({ explanation: e.target.value })} rows={4} data-testid="probe-explanation" />
          </label>
          <div className="probe-code" data-testid="probe-code">
            <CodeEditor modelKey="probe-editor" fileName="probe.c" initialValue={draft.source} diagnostics={diagnostics} onChange={(source) => update({ source })} onRun={() => document.querySelector<HTMLButtonElement>('[data-testid="try-run"]')?.click()} handleRef={editorRef} />
          </div>
          <p className="probe-compile" role="status" data-testid="probe-compile-status">
            {compileText ?? ' '}
          </p>
        </section>
        {library && <ProbeHelpers helpers={library.helpers} header={library.header} />}
      </div>
      <ProbeTry outline={outline} probe={asExtraProbe} />
      <KeepProbe outline={outline} draft={() => validDraft(draftRef.current)} onKept={loadLibrary} />
    </div>
  );
}
