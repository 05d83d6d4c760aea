import type { AnchorHTMLAttributes } from 'react';
import { followLink } from './router.js';

/** An ordinary link that routes inside the page (and still opens in a new tab with Ctrl/middle click). */
export function Link({ href, onClick, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  return (
    <a
      href={href}
      onClick={(e) => {
        onClick?.(e);
        followLink(e, href);
      }}
      {...rest}
    />
  );
}
