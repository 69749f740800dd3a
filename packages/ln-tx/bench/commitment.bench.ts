// Build and sign a counterparty commitment (commitment signature + one HTLC signature per
// HTLC, as commitment_signed needs) with 0, 30 and 483 HTLCs, on noble and on tiny-secp256k1
// (libsecp256k1 in WebAssembly). Also reports the share of the time spent in ECDSA signing.
import * as tinyModule from 'tiny-secp256k1';
import { measure, reportMeasurement, reportValue } from 'ln-bench';
import { type Secp256k1Backend, createTinySecp256k1Backend, nobleSecp256k1, sha256 } from 'ln-crypto';
import { outPoint, txid } from 'ln-types';
import {
  type CommitmentDescription,
  buildCommitment,
  buildHtlcTransactions,
  countersignatoryHtlcSighash,
  deriveCommitmentKeys,
  derivePrivateKey,
  obscuringFactor,
  perCommitmentPoint,
  signCommitment,
  signSegwitInput,
} from '../src/index.js';

const tiny = createTinySecp256k1Backend(tinyModule);
const secret = (n: number) => sha256(Uint8Array.of(n));
const pub = (n: number) => nobleSecp256k1.publicKeyCreate(secret(n));
const basepoints = (base: number) => ({
  fundingPubkey: pub(base),
  revocationBasepoint: pub(base + 1),
  paymentBasepoint: pub(base + 2),
  delayedPaymentBasepoint: pub(base + 3),
  htlcBasepoint: pub(base + 4),
});
const holder = basepoints(10);
const counterparty = basepoints(20);
const fundingKey = secret(10);
const htlcBaseSecret = secret(14);
const point = perCommitmentPoint(secret(99));

function description(htlcCount: number): CommitmentDescription {
  const htlcs = Array.from({ length: htlcCount }, (_, i) => ({
    offered: i % 2 === 0,
    amountMsat: 10_000_000n + BigInt(i) * 1000n,
    cltvExpiry: 800_000 + i,
    paymentHash: sha256(Uint8Array.of(i & 0xff, i >> 8)),
  }));
  const htlcSum = htlcs.reduce((s, h) => s + h.amountMsat, 0n);
  const funding = 1_000_000_000n;
  const toCounterparty = 400_000_000_000n;
  return {
    format: 'anchors',
    fundingOutpoint: outPoint(txid(sha256(Uint8Array.of(1))), 0),
    fundingAmountSat: funding,
    broadcasterFundingPubkey: counterparty.fundingPubkey,
    countersignatoryFundingPubkey: holder.fundingPubkey,
    commitmentNumber: 1234n,
    obscuringFactor: obscuringFactor(holder.paymentBasepoint, counterparty.paymentBasepoint),
    feeratePerKw: 2500,
    broadcasterIsOpener: false,
    toBroadcasterMsat: funding * 1000n - toCounterparty - htlcSum,
    toCountersignatoryMsat: toCounterparty,
    dustLimitSat: 546n,
    toSelfDelay: 144,
    keys: deriveCommitmentKeys(point, counterparty, holder),
    htlcs,
  };
}

/** What commitment_signed needs: the commitment signature and every HTLC signature. */
function buildAndSign(d: CommitmentDescription, backend: Secp256k1Backend): number {
  const built = buildCommitment(d);
  const commitmentSig = signCommitment(built, fundingKey, backend);
  const htlcKey = derivePrivateKey(htlcBaseSecret, point, backend);
  let n = commitmentSig.length;
  for (const h of buildHtlcTransactions(built)) {
    n += signSegwitInput(h.tx, 0, h.witnessScript, h.amountSat, htlcKey, countersignatoryHtlcSighash(h.format), backend).length;
  }
  return n;
}

for (const count of [0, 30, 483]) {
  const d = description(count);
  const built = buildCommitment(d);
  if (built.htlcOutputs.length !== count) throw new Error('an HTLC was trimmed');
  const quick = count >= 483 ? { runs: 3, minRunMs: 300 } : {};
  const nobleM = measure(() => buildAndSign(d, nobleSecp256k1), quick);
  reportMeasurement('ln-tx', `counterparty commitment + HTLC sigs, ${count} HTLCs [noble]`, nobleM);
  const tinyM = measure(() => buildAndSign(d, tiny), quick);
  reportMeasurement('ln-tx', `counterparty commitment + HTLC sigs, ${count} HTLCs [tiny-secp256k1]`, tinyM, 'ops/s', { name: 'noble', measurement: nobleM });
  for (const backend of [nobleSecp256k1, tiny]) {
    // Time spent inside ecdsaSign, measured in the same loop as the total (so load from
    // other processes affects both alike).
    let inSign = 0;
    const timed: Secp256k1Backend = {
      ...backend,
      ecdsaSign(h: Uint8Array, k: Uint8Array) {
        const t = performance.now();
        const sig = backend.ecdsaSign(h, k);
        inSign += performance.now() - t;
        return sig;
      },
    };
    const iterations = process.env['BENCH_QUICK'] === '1' ? 2 : count >= 483 ? 4 : 40;
    const start = performance.now();
    for (let i = 0; i < iterations; i++) buildAndSign(d, timed);
    const total = performance.now() - start;
    reportValue('ln-tx', `share of time in ECDSA signing, ${count} HTLCs [${backend.name}]`, (100 * inSign) / total, '%');
  }
}
