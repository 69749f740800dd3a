// Decode + verify (signature recovery) of BOLT 11 invoices, side by side with
// `bolt11` (npm) in the same run. bolt11 recovers with the native libsecp256k1
// binding (the `secp256k1` package); we report our default (noble, pure JS) and
// ours on the same native binding through ln-crypto's backend seam.
import { readFileSync } from 'node:fs';
import bolt11Lib from 'bolt11';
import native from 'secp256k1';
import { measure, median, quick, reportMeasurement, type Measurement } from 'ln-bench';
import { createNativeSecp256k1Backend } from 'ln-crypto';
import { shortChannelId } from 'ln-types';
import { decodeInvoice, encodeInvoiceSync, privateKeySigner } from '../src/index.js';

const vectors = JSON.parse(readFileSync(new URL('../test/fixtures/bolt11-invoices.json', import.meta.url), 'utf8')) as { valid: { name: string; invoice: string }[] };
const nativeBackend = createNativeSecp256k1Backend(native);

// A typical invoice (spec example with a route hint, expiry and min_final_cltv) and one with
// three route hints we sign ourselves.
const spec = vectors.valid.find((v) => v.name.startsWith('Please send 0.00967878534 BTC'))!.invoice;
const sign = privateKeySigner(new Uint8Array(32).fill(5));
const hop = (i: number) => ({
  nodeId: decodeInvoice(spec).routeHints![0]![0]!.nodeId,
  shortChannelId: shortChannelId((800_000n << 40n) | BigInt(i)),
  feeBaseMsat: 1000,
  feeProportionalMillionths: 100,
  cltvExpiryDelta: 144,
});
const big = encodeInvoiceSync(
  {
    currency: 'bc',
    amountMsat: 123_456_789n,
    timestamp: 1_700_000_000,
    paymentHash: new Uint8Array(32).fill(1),
    paymentSecret: new Uint8Array(32).fill(2),
    description: 'a somewhat longer description of what is being paid for, as shops write them',
    expirySeconds: 86_400,
    minFinalCltvExpiryDelta: 80,
    routeHints: [[hop(1), hop(2)], [hop(3)], [hop(4)]],
  },
  sign,
);

/**
 * Measures several functions in alternating short rounds, so that a machine whose
 * load changes during the run affects each the same way (medians over rounds).
 */
function interleaved(fns: (() => unknown)[], rounds = quick ? 5 : 9): Measurement[] {
  const rates: number[][] = fns.map(() => []);
  const n = fns.map(() => 0);
  for (let r = 0; r < rounds; r++) {
    fns.forEach((fn, i) => {
      const m = measure(fn, { runs: 1, minRunMs: quick ? 80 : 250, warmupMs: r === 0 ? 100 : 10 });
      rates[i]!.push(m.median);
      n[i]! += m.n;
    });
  }
  return rates.map((rs, i) => ({ opsPerSec: rs, median: median(rs), min: Math.min(...rs), max: Math.max(...rs), n: n[i]! }));
}

for (const [label, text] of [
  ['spec example (1 route hint)', spec],
  ['3 route hints, 4 hops', big],
] as const) {
  // The native recovery call alone bounds any decoder that recovers with it: no
  // decode+recover can beat bolt11 by more than bolt11's time over this one.
  const { signature, signingHash } = decodeInvoice(text); // both invoices are low-S
  const [peer, noble, withNative, recoverOnly] = interleaved([
    () => bolt11Lib.decode(text),
    () => decodeInvoice(text),
    () => decodeInvoice(text, { secp256k1: nativeBackend }),
    () => native.ecdsaRecover(signature.signature, signature.recoveryId, signingHash, true),
  ]) as [Measurement, Measurement, Measurement, Measurement];
  reportMeasurement('ln-invoice', `bolt11 npm decode+recover: ${label}`, peer);
  reportMeasurement('ln-invoice', `decode+recover [noble]: ${label}`, noble, 'ops/s', { name: 'bolt11 (native secp256k1)', measurement: peer });
  reportMeasurement('ln-invoice', `decode+recover [native secp256k1]: ${label}`, withNative, 'ops/s', { name: 'bolt11 (native secp256k1)', measurement: peer });
  reportMeasurement('ln-invoice', `native ecdsaRecover call alone (upper bound of the ratio): ${label}`, recoverOnly, 'ops/s', { name: 'bolt11 (native secp256k1)', measurement: peer });
}

const data = decodeInvoice(big);
reportMeasurement('ln-invoice', 'encode+sign [noble] (3 route hints)', measure(() => encodeInvoiceSync(data, sign)));
reportMeasurement('ln-invoice', 'encode+sign [native secp256k1] (3 route hints)', measure(() => encodeInvoiceSync(data, privateKeySigner(new Uint8Array(32).fill(5), nativeBackend))));
