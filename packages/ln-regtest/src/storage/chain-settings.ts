import { join } from 'node:path';
import { fromHex, toHex } from 'ln-types';
import type { Coin } from '../chain/coin.js';
import { readJsonFile, writeFileAtomic } from './json-file.js';

/** What the chain keeps besides its blocks. */
export interface ChainSettings {
  /** setmocktime's value (0: the real clock). */
  mockTime: number;
  /** Fee estimates, sat per 1000 vbytes by confirmation target. */
  feeEstimates: Map<number, bigint>;
  /** Display hashes of blocks marked failed (invalidateblock, or refused when connecting). */
  failedBlocks: Set<string>;
  /** Test-only coins placed without a transaction. */
  looseCoins: Map<string, Coin>;
}

export function emptySettings(): ChainSettings {
  return { mockTime: 0, feeEstimates: new Map(), failedBlocks: new Set(), looseCoins: new Map() };
}

interface SettingsJson {
  mockTime?: number;
  feeEstimates?: Record<string, string>;
  failedBlocks?: string[];
  looseCoins?: { key: string; amount: string; script: string; height: number; coinbase: boolean }[];
}

/** The settings file of a data directory. */
export class SettingsFile {
  readonly path: string;

  constructor(dataDir: string) {
    this.path = join(dataDir, 'settings.json');
  }

  read(): ChainSettings {
    const json = readJsonFile(this.path) as SettingsJson | undefined;
    const settings = emptySettings();
    if (json === undefined) return settings;
    settings.mockTime = json.mockTime ?? 0;
    for (const [k, v] of Object.entries(json.feeEstimates ?? {})) settings.feeEstimates.set(Number(k), BigInt(v));
    for (const h of json.failedBlocks ?? []) settings.failedBlocks.add(h);
    for (const c of json.looseCoins ?? []) settings.looseCoins.set(c.key, { amount: BigInt(c.amount), script: fromHex(c.script), height: c.height, coinbase: c.coinbase });
    return settings;
  }

  write(settings: ChainSettings): void {
    const json: SettingsJson = {
      mockTime: settings.mockTime,
      feeEstimates: Object.fromEntries([...settings.feeEstimates].map(([k, v]) => [String(k), v.toString()])),
      failedBlocks: [...settings.failedBlocks],
      looseCoins: [...settings.looseCoins].map(([key, c]) => ({ key, amount: c.amount.toString(), script: toHex(c.script), height: c.height, coinbase: c.coinbase })),
    };
    writeFileAtomic(this.path, JSON.stringify(json, null, 2));
  }
}
