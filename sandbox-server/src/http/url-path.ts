/** A request's path, percent-decoded; null when its encoding is broken (`%E0%A4%A`): a 400, not a crash. */
export function decodedPath(url: string | undefined): string | null {
  try {
    return decodeURIComponent(new URL(url ?? '/', 'http://x').pathname);
  } catch {
    return null;
  }
}
