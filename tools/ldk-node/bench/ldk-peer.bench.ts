// The LDK-to-LDK figures our ChannelManager benchmarks compare with: two LDK
// (WebAssembly) nodes in this process, one confirmed anchor channel, an
// in-process pipe. Printed through ln-bench so they land in bench-results.json.
import { type Measurement, median, quick, reportMeasurement } from 'ln-bench';
import { createLdkPaymentPeer, ldkCommitmentUpdatesPerSecond, ldkPaymentsPerSecond, type PeerRate } from '../src/index.js';

const runs = quick ? 3 : 5;
const minMs = quick ? 500 : 2_000;

async function measured(run: () => Promise<PeerRate>): Promise<Measurement> {
  const rates: number[] = [];
  let n = 0;
  for (let r = 0; r < runs; r++) {
    const result = await run();
    rates.push(result.perSecond);
    n += result.count;
  }
  return { opsPerSec: rates, median: median(rates), min: Math.min(...rates), max: Math.max(...rates), n };
}

const peer = await createLdkPaymentPeer();
try {
  reportMeasurement('ln-ldk-node', 'LDK-WASM payments/s (BOLT 11, sequential)', await measured(() => ldkPaymentsPerSecond(peer, { inFlight: 1, minMs })), 'payments/s');
  reportMeasurement('ln-ldk-node', 'LDK-WASM payments/s (BOLT 11, 20 in flight)', await measured(() => ldkPaymentsPerSecond(peer, { inFlight: 20, minMs })), 'payments/s');
  reportMeasurement('ln-ldk-node', 'LDK-WASM commitment round trips/s (add, dance, fulfill, dance; sequential)', await measured(() => ldkCommitmentUpdatesPerSecond(peer, { inFlight: 1, minMs })), 'updates/s');
} finally {
  await peer.close();
}
