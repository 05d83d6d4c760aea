/**
 * A tiny typed event source. The socket client is plain TypeScript (no React),
 * so the UI subscribes to it through these and unsubscribes on unmount.
 */
export class Emitter<T> {
  private readonly listeners = new Set<(value: T) => void>();

  /** Returns the function that removes this listener. */
  on(listener: (value: T) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(value: T): void {
    for (const listener of [...this.listeners]) listener(value);
  }
}
