import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LessonCatalog } from '../lessons/lesson-catalog.js';
import type { RunExecutor } from '../execution/run-executor.js';
import { decodedPath } from './url-path.js';

export interface ApiDeps {
  catalog: LessonCatalog;
  /** Where runs execute: its capacity is the health answer (VMs, runners). */
  executor: Pick<RunExecutor, 'capacity'>;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-cache' });
  res.end(JSON.stringify(body));
}

/** The read-only HTTP API. Everything a learner does goes over the socket. Returns false if the path is not an API path. */
export function handleApi(deps: ApiDeps, req: IncomingMessage, res: ServerResponse): boolean {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  if (!path.startsWith('/api/')) return false;
  if (req.method !== 'GET') {
    json(res, 405, { error: 'only GET here' });
    return true;
  }
  if (path === '/api/health') {
    json(res, 200, { ok: true, capacity: deps.executor.capacity() });
    return true;
  }
  if (path === '/api/lessons') {
    json(res, 200, deps.catalog.outline());
    return true;
  }
  // The solution is not here: it comes over the socket (`solution-get`), where looking at it is recorded.
  const lesson = /^\/api\/lessons\/(.+)$/.exec(path);
  if (lesson) {
    const id = decodedPath(`/${lesson[1]!}`)?.slice(1);
    if (id === undefined) {
      json(res, 400, { error: 'bad percent-encoding in the path' });
      return true;
    }
    const view = deps.catalog.view(id);
    if (view) json(res, 200, view);
    else json(res, 404, { error: 'no such lesson' });
    return true;
  }
  json(res, 404, { error: 'no such API' });
  return true;
}
