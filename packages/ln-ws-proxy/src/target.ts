/** A TCP destination a browser asks the proxy to reach. */
export interface Target {
  readonly host: string;
  readonly port: number;
}

const HOST_PORT = /^(?:\[([0-9a-fA-F:.]+)\]|([A-Za-z0-9.-]{1,253})):(\d{1,5})$/;

/**
 * The destination named by a request URL: the path `/<host>:<port>` (IPv6 in
 * brackets) or the query `?target=<host>:<port>`. Undefined when malformed.
 */
export function parseTarget(url: string): Target | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url, 'ws://proxy');
  } catch {
    return undefined;
  }
  let raw: string;
  try {
    raw = parsed.searchParams.get('target') ?? decodeURIComponent(parsed.pathname.slice(1));
  } catch {
    return undefined; // a malformed %-escape
  }
  const m = HOST_PORT.exec(raw);
  if (m === null) return undefined;
  const port = Number(m[3]);
  if (port < 1 || port > 65535) return undefined;
  return { host: (m[1] ?? m[2])!, port };
}

/** Which destinations the proxy may open connections to. */
export type AllowRule = readonly string[] | ((target: Target) => boolean);

/** Lightning's default port: without an allow-list, only it may be reached. */
export const LIGHTNING_PORT = 9735;

/** True when the rule allows the target. A list holds `host:port` entries (`*:port` for any host). */
export function isAllowed(rule: AllowRule | undefined, target: Target): boolean {
  if (rule === undefined) return target.port === LIGHTNING_PORT;
  if (typeof rule === 'function') return rule(target);
  const key = target.host.includes(':') ? `[${target.host}]:${target.port}` : `${target.host}:${target.port}`;
  return rule.includes(key) || rule.includes(`*:${target.port}`);
}
