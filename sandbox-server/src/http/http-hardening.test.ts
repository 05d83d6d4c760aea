import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { type IncomingMessage, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { handleApi } from './api-routes.js';
import { HostAllowList } from './host-allow-list.js';
import { setSecurityHeaders } from './security-headers.js';
import { serveStatic } from './static-files.js';
import type { LessonCatalog } from '../lessons/lesson-catalog.js';

/** Issue 25, finding 8: the HTTP side of the room. */
class FakeResponse {
  status = 0;
  headers = new Map<string, string>();
  body = '';
  headersSent = false;
  writeHead(status: number, headers: Record<string, string> = {}): this {
    this.status = status;
    for (const [k, v] of Object.entries(headers)) this.headers.set(k, v);
    this.headersSent = true;
    return this;
  }
  setHeader(k: string, v: string): void {
    this.headers.set(k.toLowerCase(), v);
  }
  end(body = ''): void {
    this.body += body;
  }
}
const get = (url: string): IncomingMessage => ({ url, method: 'GET', headers: {} }) as IncomingMessage;

describe('issue 25 #8: the HTTP side', () => {
  it('answers only to its own host names: a rebinding attacker\'s name is refused', () => {
    const hosts = new HostAllowList({ listenHost: '127.0.0.1', port: 7878, allowedOrigins: ['https://jails.school.example'], allowedHosts: ['lab.local:7878'] });
    for (const ok of ['127.0.0.1:7878', 'localhost:7878', 'LOCALHOST:5173', '[::1]:7878', 'jails.school.example', 'lab.local:7878']) expect(hosts.allows(ok), ok).toBe(true);
    for (const bad of ['attacker.example:7878', 'attacker.example', 'lab.local:7879', '127.0.0.2:7878', '10.0.0.1:7878', undefined]) expect(hosts.allows(bad), String(bad)).toBe(false);
    const everywhere = new HostAllowList({ listenHost: '0.0.0.0', port: 7878, allowedOrigins: [], allowedHosts: [] });
    expect(everywhere.allows('attacker.example:7878')).toBe(false);
  });

  it('a bad percent-encoding is a 400, in the API and for pages', async () => {
    const catalog = { view: () => null } as unknown as LessonCatalog;
    const api = new FakeResponse();
    expect(handleApi({ catalog, executor: { capacity: () => ({}) as never } }, get('/api/lessons/%E0%A4%A'), api as unknown as ServerResponse)).toBe(true);
    expect(api.status).toBe(400);
    const web = mkdtempSync(join(tmpdir(), 'jaillab-web-'));
    writeFileSync(join(web, 'index.html'), '<!doctype html>');
    const page = new FakeResponse();
    await serveStatic(web, get('/%E0%A4%A'), page as unknown as ServerResponse);
    expect(page.status).toBe(400);
    rmSync(web, { recursive: true, force: true });
  });

  it('lets the page open sockets to this server only (connect-src \'self\', no ws: or wss: wildcard)', () => {
    const res = new FakeResponse();
    setSecurityHeaders(res as unknown as ServerResponse);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toMatch(/connect-src 'self'(;|$)/);
    expect(csp).not.toMatch(/ws:|wss:/);
  });
});
