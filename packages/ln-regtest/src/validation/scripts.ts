import { type SignatureBackendName, ScriptVerifyError, TransactionScripts, signatureBackends } from 'ln-script-verify';
import { RegtestError } from '../errors.js';
import type { Coin } from '../chain/coin.js';
import type { TxInfo } from '../chain/tx-info.js';
import { type Rejection, rejection } from './rejection.js';

/** What {@link ScriptCache} has done since it was made. */
export interface ScriptCacheStats {
  readonly entries: number;
  /** Transactions answered from the cache. */
  readonly hits: number;
  /** Transactions whose scripts ran. */
  readonly misses: number;
  /** Entries dropped to stay within the limit. */
  readonly evictions: number;
}

/**
 * Bitcoin Core's script execution cache: transactions whose scripts passed,
 * keyed by wtxid (which fixes every outpoint they spend, hence every output
 * and amount their signatures commit to) with the flags they passed with.
 * Mempool acceptance (standard flags) adds entries; connecting a block
 * (consensus flags) looks them up, so a block of transactions already in the
 * mempool runs no script again. An entry answers for any subset of the flags it
 * passed with: every flag is a soft fork, a restriction, so what passes with
 * more passes with fewer. Bounded: past `limit` entries the oldest goes.
 */
export class ScriptCache {
  readonly #passed = new Map<string, number>();
  #hits = 0;
  #misses = 0;
  #evictions = 0;

  constructor(readonly limit = 100_000) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError('the script cache holds at least one entry');
  }

  /** True when the transaction passed with flags including all of `flags`. */
  has(wtxidHex: string, flags: number): boolean {
    const passed = this.#passed.get(wtxidHex);
    return passed !== undefined && (passed & flags) === flags;
  }

  /** Records that the transaction passed with `flags`. */
  add(wtxidHex: string, flags: number): void {
    const before = this.#passed.get(wtxidHex);
    if (before !== undefined) {
      // Refreshed: it moves to the young end.
      this.#passed.delete(wtxidHex);
    } else if (this.#passed.size >= this.limit) {
      const oldest = this.#passed.keys().next().value as string;
      this.#passed.delete(oldest);
      this.#evictions++;
    }
    this.#passed.set(wtxidHex, (before ?? 0) | flags);
  }

  /** Forgets everything (benchmarks measuring uncached validation use it). */
  clear(): void {
    this.#passed.clear();
  }

  get size(): number {
    return this.#passed.size;
  }

  stats(): ScriptCacheStats {
    return { entries: this.#passed.size, hits: this.#hits, misses: this.#misses, evictions: this.#evictions };
  }

  /** {@link has}, counted in {@link stats} as a hit or a miss. */
  lookup(wtxidHex: string, flags: number): boolean {
    const hit = this.has(wtxidHex, flags);
    if (hit) this.#hits++;
    else this.#misses++;
    return hit;
  }
}

/** Options of {@link ScriptChecker}. */
export interface ScriptCheckerOptions {
  /** Entries the cache holds (default 100,000). */
  readonly cacheLimit?: number;
  /** Which implementation checks signatures (default: libsecp256k1 where it loaded; see ln-script-verify). */
  readonly signatures?: SignatureBackendName;
}

/** Core's CheckInputScripts with its script cache, shared by the mempool and block connection. */
export class ScriptChecker {
  readonly cache: ScriptCache;
  readonly #signatures: SignatureBackendName | undefined;

  /** @throws RegtestError `invalid_parameter` for a signature backend that did not load, or a cache limit below 1 */
  constructor(options: ScriptCheckerOptions = {}) {
    if (options.signatures !== undefined && !signatureBackends().includes(options.signatures)) {
      throw new RegtestError('invalid_parameter', `signature backend ${options.signatures} is not available (${signatureBackends().join(', ')} are)`);
    }
    const limit = options.cacheLimit ?? 100_000;
    if (!Number.isInteger(limit) || limit < 1) throw new RegtestError('invalid_parameter', 'the script cache holds at least one entry');
    this.cache = new ScriptCache(limit);
    this.#signatures = options.signatures;
  }

  /**
   * Every input's script run by an independent interpreter (bitcore-lib's,
   * through ln-script-verify) with `flags`, unless the cache holds a pass with
   * them. A failure that also fails with only the consensus flags is
   * "mandatory-script-verify-flag-failed (...)", else
   * "non-mandatory-script-verify-flag (...)", as bitcoind 28 words them.
   */
  check(info: TxInfo, coins: readonly Coin[], flags: number): Rejection | undefined {
    if (this.cache.lookup(info.wtxidHex, flags)) return undefined;
    let scripts: TransactionScripts;
    try {
      scripts = new TransactionScripts(
        info.raw,
        coins.map((c) => ({ script: c.script, amount: c.amount })),
        this.#signatures === undefined ? {} : { signatures: this.#signatures },
      );
    } catch (cause) {
      if (cause instanceof ScriptVerifyError) return rejection('consensus', 'mandatory-script-verify-flag-failed (unknown error)', cause.message);
      throw cause;
    }
    const failure = scripts.verifyAll(flags);
    if (failure === undefined) {
      this.cache.add(info.wtxidHex, flags);
      return undefined;
    }
    const { verdict } = failure;
    if (verdict.mandatory) return rejection('consensus', `mandatory-script-verify-flag-failed (${verdict.message})`);
    return rejection('not-standard', `non-mandatory-script-verify-flag (${verdict.message})`);
  }
}
