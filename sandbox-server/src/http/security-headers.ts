import type { ServerResponse } from 'node:http';

/**
 * Headers on every response. The app needs inline styles (Monaco sets them)
 * and blob: workers; nothing is loaded from anywhere but this server.
 */
export function setSecurityHeaders(res: ServerResponse): void {
  res.setHeader(
    'content-security-policy',
    [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data:",
      "font-src 'self' data:",
      "worker-src 'self' blob:",
      // 'self' covers this server's own ws:/wss: (CSP 3); nothing else may be reached, sockets included.
      "connect-src 'self'",
      "frame-ancestors 'none'",
      "base-uri 'none'",
      "form-action 'none'",
    ].join('; '),
  );
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('referrer-policy', 'no-referrer');
  res.setHeader('x-frame-options', 'DENY');
}
