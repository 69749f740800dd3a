// Commitment round trips per second between two in-process ChannelManagers
// with real signatures: one HTLC added (one-hop onion), committed both ways,
// fulfilled, committed both ways, every message through BOLT 8 between two
// PeerManagers and every monitor update serialized; on the noble and the
// native secp256k1 backends. LDK (WebAssembly, tools/ldk-node) does the same
// round trip in the same run: the ratio is ours over LDK's (> 1: faster).
import native from 'secp256k1';
import { type Measurement, median, quick, reportMeasurement } from 'ln-bench';
import { createNativeSecp256k1Backend, nobleSecp256k1, type Secp256k1Backend } from 'ln-crypto';
import { createLdkPaymentPeer, ldkCommitmentUpdatesPerSecond } from 'ln-ldk-node';
import { ourPair, type OurPair } from './pair.js';

const runs = quick ? 3 : 5;
const minMs = quick ? 500 : 2_000;

async function rate(op: () => Promise<void>): Promise<number> {
  let count = 0;
  const start = performance.now();
  while (performance.now() - start < minMs) {
    await op();
    count++;
  }
  return (count * 1000) / (performance.now() - start);
}

async function measured(run: () => Promise<number>): Promise<Measurement> {
  const rates: number[] = [];
  for (let r = 0; r < runs; r++) rates.push(await run());
  return { opsPerSec: rates, median: median(rates), min: Math.min(...rates), max: Math.max(...rates), n: runs };
}

const ldk = await createLdkPaymentPeer();
let ldkRate: Measurement;
try {
  ldkRate = await measured(async () => (await ldkCommitmentUpdatesPerSecond(ldk, { inFlight: 1, minMs, warmup: 5 })).perSecond);
} finally {
  await ldk.close();
}
reportMeasurement('ln-channel', 'LDK-WASM commitment round trips/s (add, dance, fulfill, dance)', ldkRate, 'updates/s');

const backends: [string, Secp256k1Backend][] = [
  ['noble', nobleSecp256k1],
  ['native secp256k1', createNativeSecp256k1Backend(native)],
];
for (const [label, backend] of backends) {
  const pair: OurPair = await ourPair(backend);
  try {
    for (let i = 0; i < 5; i++) await pair.roundTrip();
    const m = await measured(() => rate(() => pair.roundTrip()));
    reportMeasurement('ln-channel', `commitment round trips/s (add, dance, fulfill, dance) [${label}]`, m, 'updates/s', { name: 'LDK-WASM', measurement: ldkRate });
  } finally {
    pair.close();
  }
}
