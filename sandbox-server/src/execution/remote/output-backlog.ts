import { compareStreamIds } from './stream-codec.js';

/**
 * The runner's view of how far the server is behind on a run's stream: bytes
 * written that the server has not handled yet. Entries are counted when they
 * are queued for Redis (before XADD returns their id), so a slow Redis counts
 * as well as a slow server. Pure bookkeeping; the stream writer acts on it.
 */
export class OutputBacklog {
  private written = 0;
  private handled = 0;
  /** Cumulative bytes at each id written, oldest first, until the server's cursor passes them. */
  private readonly marks: Array<{ id: string; total: number }> = [];

  /** An entry of `bytes` is on its way to the stream. */
  queued(bytes: number): void {
    this.written += bytes;
  }

  /** The entry queued when the total was `total` got stream id `id`. */
  stored(id: string, total: number): void {
    this.marks.push({ id, total });
  }

  get total(): number {
    return this.written;
  }

  /** The server has handled everything up to and including `cursor`. */
  handledUpTo(cursor: string): void {
    while (this.marks.length && compareStreamIds(this.marks[0]!.id, cursor) <= 0) this.handled = this.marks.shift()!.total;
  }

  /** Bytes not yet handled by the server. */
  get pending(): number {
    return this.written - this.handled;
  }
}
