import { networkInterfaces, hostname } from 'node:os';

/**
 * The Host names this server answers to. A page from another site whose DNS
 * name is re-pointed at this server (DNS rebinding) is same-origin with
 * itself, so the Origin check alone would let it in; its requests carry its
 * own name as Host, which is not on this list. The default: the listen
 * address (and, listening on every interface, each interface's address and
 * the machine's name) with the port; localhost and the loopback addresses on
 * any port (a rebinding page cannot send those as its Host, and the web dev
 * server proxies from its own port); plus the hosts of JAILLAB_ALLOWED_ORIGINS
 * (a reverse proxy passes the browser's Host on) and JAILLAB_ALLOWED_HOSTS.
 */
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

export class HostAllowList {
  private readonly hosts: Set<string>;

  constructor(o: { listenHost: string; port: number; allowedOrigins: string[]; allowedHosts: string[] }) {
    const names = new Set<string>();
    const add = (h: string): void => void names.add(h.includes(':') && !h.startsWith('[') ? `[${h}]` : h);
    if (o.listenHost === '0.0.0.0' || o.listenHost === '::') {
      for (const list of Object.values(networkInterfaces())) for (const i of list ?? []) add(i.address);
      add(hostname());
    } else add(o.listenHost);
    this.hosts = new Set([...names].map((n) => `${n}:${o.port}`.toLowerCase()));
    if (o.port === 80) for (const n of names) this.hosts.add(n.toLowerCase());
    for (const origin of o.allowedOrigins) {
      try {
        this.hosts.add(new URL(origin).host.toLowerCase());
      } catch {
        // a malformed origin in the configuration allows nothing
      }
    }
    for (const h of o.allowedHosts) this.hosts.add(h.toLowerCase());
  }

  allows(host: string | undefined): boolean {
    if (host === undefined) return false;
    const h = host.toLowerCase();
    return this.hosts.has(h) || LOOPBACK.has(h.replace(/:\d+$/, ''));
  }
}
