import { RunEvent } from '@jaillab/protocol';
import { z } from 'zod';

/**
 * What a run's Redis stream carries, one entry each: a run event (JSON, the
 * same typed events a local run gives), a chunk of a check's output (bytes,
 * as they came), the runner's "I have it" (who took the job), or its "I give
 * it back" (a runner shutting down before the run's first check started: the
 * job is back on the queue, and another runner will write on). The server
 * validates every entry: a runner is trusted to run jobs, not to send
 * arbitrary messages to browsers.
 */
export const RunnerHello = z.object({ runnerId: z.string().max(200), host: z.string().max(200) });
export type RunnerHello = z.infer<typeof RunnerHello>;

export type StreamEntry =
  | { kind: 'event'; event: RunEvent }
  | { kind: 'output'; checkIndex: number; data: Buffer }
  | { kind: 'taken'; by: RunnerHello }
  | { kind: 'handed-back'; by: RunnerHello };

/** Flat field list for XADD. */
export function encodeEntry(e: StreamEntry): Array<string | Buffer> {
  switch (e.kind) {
    case 'event':
      return ['e', JSON.stringify(e.event)];
    case 'output':
      return ['o', String(e.checkIndex), 'd', e.data];
    case 'taken':
      return ['t', JSON.stringify(e.by)];
    case 'handed-back':
      return ['h', JSON.stringify(e.by)];
  }
}

export class StreamEntryError extends Error {}

/** From XREAD's field list (buffers) back to an entry; throws StreamEntryError on anything malformed. */
export function decodeEntry(fields: Buffer[]): StreamEntry {
  const get = (name: string): Buffer | undefined => {
    for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i]!.toString() === name) return fields[i + 1];
    return undefined;
  };
  const ev = get('e');
  if (ev) {
    const parsed = RunEvent.safeParse(safeJson(ev));
    if (!parsed.success) throw new StreamEntryError(`a runner sent an event that is not a run event: ${parsed.error.issues[0]?.message ?? '?'}`);
    return { kind: 'event', event: parsed.data };
  }
  const out = get('o');
  if (out) {
    const checkIndex = Number(out.toString());
    if (!Number.isInteger(checkIndex) || checkIndex < 0) throw new StreamEntryError('a runner sent output for no check');
    return { kind: 'output', checkIndex, data: get('d') ?? Buffer.alloc(0) };
  }
  const taken = get('t');
  if (taken) {
    const parsed = RunnerHello.safeParse(safeJson(taken));
    if (!parsed.success) throw new StreamEntryError('a runner announced itself badly');
    return { kind: 'taken', by: parsed.data };
  }
  const back = get('h');
  if (back) {
    const parsed = RunnerHello.safeParse(safeJson(back));
    if (!parsed.success) throw new StreamEntryError('a runner handed a run back badly');
    return { kind: 'handed-back', by: parsed.data };
  }
  throw new StreamEntryError('a runner sent a stream entry of no known kind');
}

function safeJson(b: Buffer): unknown {
  try {
    return JSON.parse(b.toString('utf8'));
  } catch {
    return undefined;
  }
}

/** Stream ids ("ms-seq") in order. */
export function compareStreamIds(a: string, b: string): number {
  const [am, as] = a.split('-').map(BigInt) as [bigint, bigint];
  const [bm, bs] = b.split('-').map(BigInt) as [bigint, bigint];
  return am === bm ? (as === bs ? 0 : as < bs ? -1 : 1) : am < bm ? -1 : 1;
}
