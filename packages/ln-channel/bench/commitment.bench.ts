// Commitment round trips per second between two in-process ChannelManagers
// with real signatures: one HTLC added (one-hop onion), committed both ways,
// fulfilled, committed both ways, every message through BOLT 8 between two
// PeerManagers and every monitor update serialized; on the noble and the
// native secp256k1 backends. LDK (WebAssembly, tools/ldk-node) does the same
// round trip in the same run: the ratio is ours over LDK's (> 1: faster).
//
// The runs alternate (LDK, noble, native, LDK, ...) so that the load of a
// shared machine falls on all three alike; each is reported twice: per
// wall-clock second, and per CPU second of this process (both pairs run in
// it, LDK's in WebAssembly), which the machine's load does not distort.
import native from 'secp256k1';
import { type Measurement, median, quick, reportMeasurement } from 'ln-bench';
import { createNativeSecp256k1Backend, nobleSecp256k1 } from 'ln-crypto';
import { createLdkPaymentPeer, ldkCommitmentUpdatesPerSecond } from 'ln-ldk-node';
import { ourPair } from './pair.js';

const runs = quick ? 3 : 5;
const minMs = quick ? 500 : 2_000;

interface Run {
  readonly perSecond: number;
  readonly perCpuSecond: number;
}

function cpuMs(since: NodeJS.CpuUsage): number {
  const c = process.cpuUsage(since);
  return (c.user + c.system) / 1000;
}

async function ourRun(op: () => Promise<void>): Promise<Run> {
  let count = 0;
  const cpu = process.cpuUsage();
  const start = performance.now();
  while (performance.now() - start < minMs) {
    await op();
    count++;
  }
  const wall = performance.now() - start;
  return { perSecond: (count * 1000) / wall, perCpuSecond: (count * 1000) / cpuMs(cpu) };
}

function measurement(rates: number[]): Measurement {
  return { opsPerSec: rates, median: median(rates), min: Math.min(...rates), max: Math.max(...rates), n: rates.length };
}

const ldk = await createLdkPaymentPeer();
const contenders = [
  { label: 'noble', pair: await ourPair(nobleSecp256k1) },
  { label: 'native secp256k1', pair: await ourPair(createNativeSecp256k1Backend(native)) },
];
const ldkRuns: Run[] = [];
const ourRuns: Run[][] = contenders.map(() => []);
try {
  for (const c of contenders) for (let i = 0; i < 5; i++) await c.pair.roundTrip();
  await ldkCommitmentUpdatesPerSecond(ldk, { inFlight: 1, minMs: 200, warmup: 5 });
  for (let r = 0; r < runs; r++) {
    const cpu = process.cpuUsage();
    const l = await ldkCommitmentUpdatesPerSecond(ldk, { inFlight: 1, minMs, warmup: 0 });
    ldkRuns.push({ perSecond: l.perSecond, perCpuSecond: (l.count * 1000) / cpuMs(cpu) });
    for (const [i, c] of contenders.entries()) ourRuns[i]!.push(await ourRun(() => c.pair.roundTrip()));
  }
} finally {
  await ldk.close();
  for (const c of contenders) c.pair.close();
}

const what = 'commitment round trips (add, dance, fulfill, dance)';
const ldkWall = measurement(ldkRuns.map((r) => r.perSecond));
const ldkCpu = measurement(ldkRuns.map((r) => r.perCpuSecond));
reportMeasurement('ln-channel', `LDK-WASM ${what} per second`, ldkWall, 'updates/s');
reportMeasurement('ln-channel', `LDK-WASM ${what} per CPU second`, ldkCpu, 'updates/cpu-s');
for (const [i, c] of contenders.entries()) {
  const rs = ourRuns[i]!;
  reportMeasurement('ln-channel', `${what} per second [${c.label}]`, measurement(rs.map((r) => r.perSecond)), 'updates/s', { name: 'LDK-WASM', measurement: ldkWall });
  reportMeasurement('ln-channel', `${what} per CPU second [${c.label}]`, measurement(rs.map((r) => r.perCpuSecond)), 'updates/cpu-s', { name: 'LDK-WASM', measurement: ldkCpu });
}
