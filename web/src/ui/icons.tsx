/**
 * Icons that ship with the app (inline SVG in currentColor), where emoji used to be: a machine without an emoji
 * font drew those as empty boxes, and the lock was the only sign of a locked lesson. An icon here is
 * decoration: every place that shows one says the same in words beside it.
 */
interface IconProps {
  className?: string;
}

const svgProps = { width: '1em', height: '1em', viewBox: '0 0 16 16', 'aria-hidden': true, focusable: false } as const;

export function LockIcon({ className = '' }: IconProps) {
  return (
    <svg {...svgProps} className={`icon icon-lock ${className}`} data-icon="lock">
      <path d="M5 7V5a3 3 0 0 1 6 0v2" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
      <rect x="3" y="7" width="10" height="7.5" rx="1.5" fill="currentColor" />
    </svg>
  );
}

export function MegaphoneIcon({ className = '' }: IconProps) {
  return (
    <svg {...svgProps} className={`icon icon-megaphone ${className}`} data-icon="megaphone">
      <path d="M2 6.2h2.5L11.5 3v10L4.5 9.8H2z" fill="currentColor" />
      <path d="M4.6 10l1 3.6h2L6.8 10.6" fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinejoin="round" />
      <path d="M13.2 6.2a2.4 2.4 0 0 1 0 3.6" fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinecap="round" />
    </svg>
  );
}
