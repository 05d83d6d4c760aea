/**
 * A count and its noun, agreeing: "1 probe", "3 probes", "0 probes". Every
 * sentence in the page that counts something goes through here, so "All 1
 * probe" and "1 errors" cannot slip back in one string at a time.
 */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
