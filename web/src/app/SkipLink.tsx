import type { MouseEvent } from 'react';

/**
 * The first thing Tab reaches (WCAG 2.4.1): past the top bar, the banners
 * and the course outline's links, straight to the page. Hidden until it has
 * focus. It moves focus itself rather than changing the address's #hash,
 * which the router would keep in history.
 */
export function SkipLink({ target }: { target: string }) {
  const onClick = (e: MouseEvent<HTMLAnchorElement>) => {
    const el = document.getElementById(target);
    if (!el) return;
    e.preventDefault();
    el.focus();
  };
  return (
    <a className="skip-link" href={`#${target}`} onClick={onClick} data-testid="skip-link">
      Skip to main content
    </a>
  );
}
