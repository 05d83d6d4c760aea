import { inject } from 'vitest';
import { JailLabClient, type RunResult } from '../src/client/jaillab-client.js';
import { FIRST_LESSON } from './lesson-sources.js';

/** One run of `source` as the first lesson's jail program, on the shared test server, as a new learner (traced unless `trace: false`). */
export async function runProgram(source: string, opts: { trace?: boolean } = {}): Promise<RunResult> {
  const client = await JailLabClient.connect(inject('serverUrl'));
  try {
    return await client.run(FIRST_LESSON, source, opts);
  } finally {
    client.close();
  }
}

/** Everything a run sent back, events and output, as one string: what a host secret must never be part of. */
export function everythingSent(r: RunResult): string {
  return JSON.stringify(r.events) + [...r.output.values()].map((b) => b.toString('latin1')).join('');
}
