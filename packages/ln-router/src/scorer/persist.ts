import type { KVStore } from 'ln-types';
import type { NetworkGraphView } from 'ln-router-api';
import { ProbabilisticScorer, type ProbabilisticScoringParams } from './probabilistic-scorer.js';

/** Where the scorer is kept in a KVStore. */
export const SCORER_KV_KEY = { primaryNamespace: '', secondaryNamespace: '', key: 'scorer' } as const;

/** Writes the scorer through the KVStore contract. */
export async function persistScorer(store: KVStore, scorer: ProbabilisticScorer): Promise<void> {
  await store.write(SCORER_KV_KEY.primaryNamespace, SCORER_KV_KEY.secondaryNamespace, SCORER_KV_KEY.key, scorer.serialize());
}

/** Reads the scorer back, or a fresh one when nothing was stored. */
export async function readScorer(
  store: KVStore,
  view: NetworkGraphView,
  params: Partial<ProbabilisticScoringParams> = {},
): Promise<ProbabilisticScorer> {
  const bytes = await store.read(SCORER_KV_KEY.primaryNamespace, SCORER_KV_KEY.secondaryNamespace, SCORER_KV_KEY.key);
  return bytes === undefined ? new ProbabilisticScorer(view, params) : ProbabilisticScorer.deserialize(bytes, view, params);
}
