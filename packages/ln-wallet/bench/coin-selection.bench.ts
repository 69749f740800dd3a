// Coin selection over 1,000 and 10,000 UTXOs: ours (branch and bound with its
// 100,000-step budget, then the fallbacks) against bitcoinjs's `coinselect`
// (blackjack then accumulative) on the same coins, payment and fee rate.
// Also prints each one's fee, for what the speed buys.
import coinSelect from 'coinselect';
import { measure, reportMeasurement, reportValue } from 'ln-bench';
import { P2WPKH_INPUT_WEIGHT, selectCoins, transactionBaseWeight } from '../src/index.js';

interface PeerResult {
  inputs?: unknown[];
  fee: number;
}
const peerSelect = coinSelect as (utxos: { txId: string; vout: number; value: number }[], outputs: { script: { length: number }; value: number }[], feeRate: number) => PeerResult;

// A deterministic spread of values from 1,000 sat to 10 million (log-uniform).
function coins(n: number): bigint[] {
  let seed = 0x2545f491;
  const next = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 0x100000000;
  };
  return Array.from({ length: n }, () => BigInt(Math.round(1000 * Math.pow(10_000, next()))));
}

const FEERATE_PER_KW = 2500; // 10 sat/vbyte
const TARGET = 12_345_678n;

for (const n of [1000, 10_000]) {
  const values = coins(n);
  const candidates = values.map((value) => ({ value, weight: P2WPKH_INPUT_WEIGHT }));
  const request = {
    candidates,
    target: TARGET,
    baseWeight: transactionBaseWeight([34, 22]) - 31 * 4,
    feeratePerKw: FEERATE_PER_KW,
    longTermFeeratePerKw: 2500,
    changeWeight: 31 * 4,
    changeSpendWeight: P2WPKH_INPUT_WEIGHT,
    minChange: 294n,
  };
  const peerUtxos = values.map((v, i) => ({ txId: i.toString(16).padStart(64, '0'), vout: 0, value: Number(v) }));
  const peerOutputs = [{ script: { length: 34 }, value: Number(TARGET) }];
  const ours = selectCoins(request);
  const theirs = peerSelect(peerUtxos, peerOutputs, FEERATE_PER_KW / 250);
  if (theirs.inputs === undefined) throw new Error('coinselect found no solution');
  const mine = measure(() => selectCoins(request));
  const peer = measure(() => peerSelect(peerUtxos, peerOutputs, FEERATE_PER_KW / 250));
  reportMeasurement('ln-wallet', `select coins from ${n} UTXOs`, mine, 'ops/s', { name: 'coinselect 3.1 (blackjack, accumulative)', measurement: peer });
  reportValue('ln-wallet', `select coins from ${n} UTXOs: fee [ours, ${ours.algorithm}, ${ours.selected.length} inputs]`, Number(ours.fee), 'sat');
  reportValue('ln-wallet', `select coins from ${n} UTXOs: fee [coinselect, ${theirs.inputs.length} inputs]`, theirs.fee, 'sat');
}
