import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RegtestError } from './errors.js';
import { type RpcCredentials, ESPLORA_PREFIX, createRegtestServer } from './http/server.js';
import { type LooseCoin, Regtest, type RegtestOptions, type ReorgOptions } from './node/regtest.js';
import { addressToScript } from './script/address.js';
import { COOKIE_USER, removeCookie, writeCookie } from './storage/cookie.js';

/** How to start a regtest server. */
export interface StartRegtestOptions extends RegtestOptions {
  /** TCP port (default 18443, bitcoind's regtest RPC port; 0 picks a free one). */
  readonly port?: number;
  /** Interface to listen on (default 127.0.0.1). */
  readonly host?: string;
  /** Fixed credentials instead of a cookie (bitcoind's -rpcuser / -rpcpassword). */
  readonly rpcUser?: string;
  readonly rpcPassword?: string;
  /** Write the `.cookie` file here (default: the data directory, or a fresh temporary directory in memory mode). */
  readonly cookieDir?: string;
  /** Mine a block every this many milliseconds (off by default). */
  readonly autoMineIntervalMs?: number;
  /** Blocks to mine at start when the chain is at genesis (default 0). */
  readonly initialBlocks?: number;
}

/** A running regtest chain and server. */
export interface RunningRegtest {
  /** The chain itself (every method of {@link Regtest}). */
  readonly node: Regtest;
  /** bitcoind JSON-RPC URL (POST, basic auth). */
  readonly rpcUrl: string;
  /** bitcoind REST base URL (ends with `/rest/`). */
  readonly restUrl: string;
  /** Esplora API base URL (no trailing slash). */
  readonly esploraUrl: string;
  readonly port: number;
  readonly credentials: RpcCredentials;
  /** The cookie file, when credentials come from one. */
  readonly cookiePath: string | undefined;
  /** Mines blocks paying `address` (default: the faucet); returns their hashes. */
  mine(count?: number, address?: string): string[];
  /** Pays `amountSat` to an address or output script from the faucet; `confirm` mines a block after. Returns the txid. */
  faucet(to: string | Uint8Array, amountSat: bigint, opts?: { confirm?: boolean }): string;
  /** Test-only: replaces the last `depth` blocks with a new branch. */
  reorg(depth: number, opts?: ReorgOptions): string[];
  /** Sets the fee estimate in sat/vB for a confirmation target. */
  setFeeEstimate(target: number, satPerVbyte: number): void;
  /** Test-only: places a coin without a transaction creating it (BOLT 3 vector inputs). */
  addUtxo(coin: LooseCoin): void;
  /** Stops the timer and the server, saves the mempool, removes the cookie. */
  close(): Promise<void>;
}

function scriptFor(to: string | Uint8Array): Uint8Array {
  if (to instanceof Uint8Array) return to;
  const script = addressToScript(to);
  if (script === undefined) throw new RegtestError('invalid_address', `Invalid address: ${to}`);
  return script;
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/**
 * Starts the regtest chain and its HTTP server (JSON-RPC, REST, Esplora) in
 * this process: `await startRegtest({ port: 0 })` for tests.
 */
export async function startRegtest(options: StartRegtestOptions = {}): Promise<RunningRegtest> {
  const node = Regtest.open(options);
  if (options.initialBlocks !== undefined && node.height === 0 && options.initialBlocks > 0) node.mine(options.initialBlocks);
  let cookiePath: string | undefined;
  let tempDir: string | undefined;
  let credentials: RpcCredentials;
  if (options.rpcUser !== undefined && options.rpcPassword !== undefined) {
    credentials = { user: options.rpcUser, password: options.rpcPassword };
  } else {
    const dir = options.cookieDir ?? options.dataDir ?? (tempDir = mkdtempSync(join(tmpdir(), 'ln-regtest-')));
    const cookie = writeCookie(dir);
    cookiePath = cookie.path;
    credentials = { user: COOKIE_USER, password: cookie.password };
  }
  let closing: Promise<void> | undefined;
  let timer: ReturnType<typeof setInterval> | undefined;
  const server = createRegtestServer({ node, credentials, onStop: () => void running.close() });
  const host = options.host ?? '127.0.0.1';
  let port: number;
  try {
    port = await listen(server, options.port ?? 18443, host);
  } catch (e) {
    node.close();
    if (cookiePath !== undefined) removeCookie(cookiePath);
    if (tempDir !== undefined) rmSync(tempDir, { recursive: true, force: true });
    throw e;
  }
  if (options.autoMineIntervalMs !== undefined && options.autoMineIntervalMs > 0) {
    timer = setInterval(() => {
      try {
        node.mine(1);
      } catch {
        // A block that cannot be mined now (a clock set far back) is tried again on the next tick.
      }
    }, options.autoMineIntervalMs);
    timer.unref();
  }
  const base = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const running: RunningRegtest = {
    node,
    rpcUrl: `${base}/`,
    restUrl: `${base}/rest/`,
    esploraUrl: `${base}${ESPLORA_PREFIX}`,
    port,
    credentials,
    cookiePath,
    mine: (count = 1, address) => node.mine(count, address === undefined ? node.faucet.script : scriptFor(address)),
    faucet: (to, amountSat, opts = {}) => {
      const txid = node.faucetPay(scriptFor(to), amountSat);
      if (opts.confirm) node.mine(1);
      return txid;
    },
    reorg: (depth, opts) => node.reorg(depth, opts),
    setFeeEstimate: (target, rate) => node.setFeeEstimate(target, rate),
    addUtxo: (coin) => node.addUtxo(coin),
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        if (timer !== undefined) clearInterval(timer);
        server.close(() => resolve());
        server.closeAllConnections();
      }).then(() => {
        node.close();
        if (cookiePath !== undefined) removeCookie(cookiePath);
        if (tempDir !== undefined) rmSync(tempDir, { recursive: true, force: true });
      })),
  };
  return running;
}
