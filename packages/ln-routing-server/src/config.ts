import { readFileSync } from 'node:fs';
import { LnError, nodeIdFromHex, type LogLevel, type Network, type NodeId } from 'ln-types';

/** A gossip peer to connect to. */
export interface PeerConfig {
  readonly nodeId: NodeId;
  readonly host: string;
  readonly port: number;
}

/** Everything the server can be told. */
export interface ServerConfig {
  /** HTTP listen address. */
  readonly httpHost: string;
  readonly httpPort: number;
  /** Largest request body in bytes. */
  readonly bodyLimit: number;
  readonly network: Network;
  /** Directory of the filesystem KVStore (graph, scores, node key). */
  readonly dataDir: string;
  /** Gossip peers, as `nodeid@host:port`. */
  readonly peers: readonly PeerConfig[];
  /** Seconds between saves of the graph and the scores. */
  readonly persistIntervalSeconds: number;
  /** secp256k1 backend for signature checks: the native addon (fastest), WebAssembly, or pure JS. */
  readonly secp256k1: 'native' | 'wasm' | 'noble';
  /** Worker threads verifying gossip signatures (0 = on the main thread). */
  readonly verifyWorkers: number;
  readonly logLevel: LogLevel;
}

export const DEFAULT_CONFIG: ServerConfig = {
  httpHost: '127.0.0.1',
  httpPort: 8080,
  bodyLimit: 1 << 20,
  network: 'bitcoin',
  dataDir: './ln-routing-data',
  peers: [],
  persistIntervalSeconds: 300,
  secp256k1: 'native',
  verifyWorkers: 2,
  logLevel: 'info',
};

export class ConfigError extends LnError<'invalid_config'> {}

const NETWORKS: readonly Network[] = ['bitcoin', 'testnet', 'testnet4', 'signet', 'regtest'];
const LEVELS: readonly LogLevel[] = ['gossip', 'trace', 'debug', 'info', 'warn', 'error'];

/** Parses `nodeid@host:port` (IPv6 hosts in brackets). */
export function parsePeer(text: string): PeerConfig {
  const m = /^([0-9a-fA-F]{66})@(?:\[([0-9a-fA-F:.]+)\]|([^:@\s]+)):(\d{1,5})$/.exec(text.trim());
  const port = m === null ? 0 : Number(m[4]);
  if (m === null || port < 1 || port > 65535) throw new ConfigError('invalid_config', `peer must be nodeid@host:port, got ${JSON.stringify(text)}`);
  let nodeId: NodeId;
  try {
    nodeId = nodeIdFromHex(m[1]!);
  } catch (cause) {
    throw new ConfigError('invalid_config', `peer node id is not a public key: ${m[1]}`, { cause });
  }
  return { nodeId, host: (m[2] ?? m[3])!, port };
}

type Raw = Partial<Record<keyof ServerConfig, unknown>>;

function int(value: unknown, what: string, min: number, max: number): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) throw new ConfigError('invalid_config', `${what} must be an integer in [${min}, ${max}]`);
  return n;
}

function oneOf<T extends string>(value: unknown, what: string, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !allowed.includes(value as T)) throw new ConfigError('invalid_config', `${what} must be one of ${allowed.join(', ')}`);
  return value as T;
}

/** Checks and completes a raw configuration (from a file, the environment or flags). */
export function resolveConfig(raw: Raw): ServerConfig {
  const known = new Set(Object.keys(DEFAULT_CONFIG));
  for (const key of Object.keys(raw)) if (!known.has(key)) throw new ConfigError('invalid_config', `unknown setting ${JSON.stringify(key)}`);
  const c = { ...DEFAULT_CONFIG, ...Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined)) } as Record<keyof ServerConfig, unknown>;
  const peers = typeof c.peers === 'string' ? c.peers.split(',').filter((p) => p.trim() !== '') : c.peers;
  if (!Array.isArray(peers)) throw new ConfigError('invalid_config', 'peers must be a list of nodeid@host:port');
  return {
    httpHost: String(c.httpHost),
    httpPort: int(c.httpPort, 'httpPort', 0, 65535),
    bodyLimit: int(c.bodyLimit, 'bodyLimit', 1024, 64 << 20),
    network: oneOf(c.network, 'network', NETWORKS),
    dataDir: String(c.dataDir),
    peers: peers.map((p) => (typeof p === 'string' ? parsePeer(p) : (p as PeerConfig))),
    persistIntervalSeconds: int(c.persistIntervalSeconds, 'persistIntervalSeconds', 1, 86_400),
    secp256k1: oneOf(c.secp256k1, 'secp256k1', ['native', 'wasm', 'noble'] as const),
    verifyWorkers: int(c.verifyWorkers, 'verifyWorkers', 0, 64),
    logLevel: oneOf(c.logLevel, 'logLevel', LEVELS),
  };
}

/** Environment variable of each setting: `LN_ROUTING_HTTP_PORT` for `httpPort`, and so on. */
export function envName(key: keyof ServerConfig): string {
  return 'LN_ROUTING_' + key.replace(/[A-Z]/g, (m) => '_' + m).toUpperCase();
}

/**
 * The configuration from, in increasing priority: defaults, a JSON file,
 * environment variables, command-line flags.
 */
export function loadConfig(options: { file?: string; env?: Readonly<Record<string, string | undefined>>; flags?: Raw }): ServerConfig {
  let fromFile: Raw = {};
  if (options.file !== undefined) {
    let text: string;
    try {
      text = readFileSync(options.file, 'utf8');
    } catch (cause) {
      throw new ConfigError('invalid_config', `cannot read config file ${options.file}`, { cause });
    }
    try {
      fromFile = JSON.parse(text) as Raw;
    } catch (cause) {
      throw new ConfigError('invalid_config', `config file ${options.file} is not valid JSON`, { cause });
    }
  }
  const env = options.env ?? {};
  const fromEnv: Raw = {};
  for (const key of Object.keys(DEFAULT_CONFIG) as (keyof ServerConfig)[]) {
    const v = env[envName(key)];
    if (v !== undefined) fromEnv[key] = v;
  }
  return resolveConfig({ ...fromFile, ...fromEnv, ...(options.flags ?? {}) });
}
