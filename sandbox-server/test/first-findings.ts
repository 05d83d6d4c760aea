import type { Pos05Rule, RunEvent } from '@jaillab/protocol';
import { inject } from 'vitest';
import { JailLabClient } from '../src/client/jaillab-client.js';

/** The first check's findings of a run of `source` by a learner of its own (a learner's new run supersedes the last), the run cancelled once they are in. */
export async function firstFindings(lessonId: string, source: string): Promise<{ rules: Pos05Rule[]; events: RunEvent[] }> {
  const client = await JailLabClient.connect(inject('serverUrl'));
  try {
    return await findingsOf(client, lessonId, source);
  } finally {
    client.close();
  }
}

async function findingsOf(client: JailLabClient, lessonId: string, source: string): Promise<{ rules: Pos05Rule[]; events: RunEvent[] }> {
  let runId: string | null = null;
  const r = await client.run(lessonId, source, {
    onEvent: (e) => {
      if (e.type === 'created') runId = e.runId;
      if (e.type === 'check-findings' && e.index === 0 && runId) client.cancel(runId);
    },
  });
  const f = r.events.find((e): e is Extract<RunEvent, { type: 'check-findings' }> => e.type === 'check-findings' && e.index === 0);
  if (!f) throw new Error(`${lessonId}: no findings for the first check (${r.finished.outcome}: ${r.finished.message})`);
  return { rules: f.findings.map((x) => x.rule), events: r.events };
}

