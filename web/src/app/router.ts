import { type MouseEvent, useSyncExternalStore } from 'react';

/**
 * Client-side routing, just enough for this app: the path is the state.
 *   /                      → the first lesson of the course
 *   /lessons/<lesson-id>   → a lesson (ids contain slashes: /lessons/first-jail/a-jail-that-leaks)
 *   /join, /join/<code>    → a student joins a workshop
 *   /instructor            → an instructor's workshops (behind the instructor token)
 *   /instructor/probes     → the probe editor: write, try and keep a probe (instructors)
 *   /workshops/<id>        → a workshop's live dashboard
 * The server answers every non-API path with index.html, so deep links work.
 */

const NAVIGATE_EVENT = 'jaillab:navigate';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(NAVIGATE_EVENT, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(NAVIGATE_EVENT, onChange);
  };
}

export function usePathname(): string {
  return useSyncExternalStore(subscribe, () => window.location.pathname);
}

export function navigate(path: string, opts: { replace?: boolean } = {}): void {
  if (path === window.location.pathname) return;
  if (opts.replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  window.dispatchEvent(new Event(NAVIGATE_EVENT));
}

export function lessonPath(lessonId: string): string {
  return `/lessons/${lessonId}`;
}

/** The lesson id in a path, or null if the path is not a lesson page. */
export function lessonIdFromPath(pathname: string): string | null {
  const m = /^\/lessons\/(.+?)\/*$/.exec(pathname);
  if (!m) return null;
  try {
    return decodeURIComponent(m[1]!);
  } catch {
    return null;
  }
}

/**
 * For <a href> clicks: route in the page instead of reloading it, except when
 * the learner asked for a new tab or window (modifier keys, middle click).
 */
export function followLink(e: MouseEvent<HTMLElement>, href: string): void {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  e.preventDefault();
  navigate(href);
  window.scrollTo(0, 0);
}

export type Route =
  | { page: 'lesson'; lessonId: string }
  | { page: 'join'; code: string | null }
  | { page: 'instructor' }
  | { page: 'probes' }
  | { page: 'workshop'; workshopId: string }
  | { page: 'home' }
  | { page: 'not-found' };

/** Which page a path shows: `/` is home (the first lesson); an unknown path says so instead of showing lesson 1. */
export function routeOf(pathname: string): Route {
  const lessonId = lessonIdFromPath(pathname);
  if (lessonId !== null) return { page: 'lesson', lessonId };
  const join = /^\/join(?:\/([^/]+))?\/*$/.exec(pathname);
  if (join) return { page: 'join', code: join[1] ? decodeURIComponent(join[1]) : null };
  // Where an instructor might look first: the instructor's page.
  if (/^\/(instructor|workshops?|dashboard)\/*$/.test(pathname)) return { page: 'instructor' };
  if (/^\/instructor\/probes\/*$/.test(pathname)) return { page: 'probes' };
  const workshop = /^\/workshops\/(w_[A-Za-z0-9_-]+)\/*$/.exec(pathname);
  if (workshop) return { page: 'workshop', workshopId: workshop[1]! };
  return pathname === '/' || pathname === '' ? { page: 'home' } : { page: 'not-found' };
}

export const joinPath = (code?: string): string => (code ? `/join/${code}` : '/join');
export const workshopPath = (workshopId: string): string => `/workshops/${workshopId}`;
export const PROBE_EDITOR_PATH = '/instructor/probes';
