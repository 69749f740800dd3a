// Payments per second between two in-process ChannelManagers, each payment a
// BOLT 11 invoice made and signed by the payee, decoded (signature recovery),
// routed, onion built, the HTLC added and committed both ways, claimed,
// fulfilled and committed both ways, until payment_sent; BOLT 8 on every
// message (two PeerManagers, bench/pair.ts), every monitor update serialized.
// Sequential, and 20 in flight; noble and native secp256k1. LDK-WASM does the
// same in the same run (tools/ldk-node's benchmark peer); the runs alternate
// (LDK, noble, native, ...) and each figure is given per wall-clock second and
// per CPU second of this process (both pairs run in it), which the load of a
// shared machine does not distort.
import native from 'secp256k1';
import { type Measurement, median, quick, reportMeasurement } from 'ln-bench';
import { createNativeSecp256k1Backend, nobleSecp256k1 } from 'ln-crypto';
import { createLdkPaymentPeer, ldkPaymentsPerSecond } from 'ln-ldk-node';
import { ourPair, type OurPair } from './pair.js';

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

/** Payments with `inFlight` lanes until `minMs` passed. */
async function ourRun(pair: OurPair, inFlight: number): Promise<Run> {
  let count = 0;
  const cpu = process.cpuUsage();
  const start = performance.now();
  const lane = async () => {
    while (performance.now() - start < minMs) {
      await pair.payInvoice();
      count++;
    }
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
  const wall = performance.now() - start;
  return { perSecond: (count * 1000) / wall, perCpuSecond: (count * 1000) / cpuMs(cpu) };
}

function measurement(rates: number[]): Measurement {
  return { opsPerSec: rates, median: median(rates), min: Math.min(...rates), max: Math.max(...rates), n: rates.length };
}

for (const inFlight of [1, 20]) {
  const mode = inFlight === 1 ? 'sequential' : '20 in flight';
  // A fresh LDK pair per mode: an LDK node left idle through long runs can lose
  // a JS object its bindings still call ("Got function call on GC'd JS object").
  const ldk = await createLdkPaymentPeer();
  const contenders = [
    { label: 'noble', pair: await ourPair(nobleSecp256k1) },
    { label: 'native secp256k1', pair: await ourPair(createNativeSecp256k1Backend(native)) },
  ];
  const ldkRuns: Run[] = [];
  const ourRuns: Run[][] = contenders.map(() => []);
  try {
    for (const c of contenders) for (let i = 0; i < 5; i++) await c.pair.payInvoice();
    await ldkPaymentsPerSecond(ldk, { inFlight, minMs: 200, warmup: 5 });
    for (let r = 0; r < runs; r++) {
      const cpu = process.cpuUsage();
      const l = await ldkPaymentsPerSecond(ldk, { inFlight, minMs, warmup: 0 });
      ldkRuns.push({ perSecond: l.perSecond, perCpuSecond: (l.count * 1000) / cpuMs(cpu) });
      for (const [i, c] of contenders.entries()) ourRuns[i]!.push(await ourRun(c.pair, inFlight));
    }
  } finally {
    await ldk.close();
    for (const c of contenders) c.pair.close();
  }
  const what = `BOLT 11 payments (${mode})`;
  const ldkWall = measurement(ldkRuns.map((r) => r.perSecond));
  const ldkCpu = measurement(ldkRuns.map((r) => r.perCpuSecond));
  reportMeasurement('ln-channel', `LDK-WASM ${what} per second`, ldkWall, 'payments/s');
  reportMeasurement('ln-channel', `LDK-WASM ${what} per CPU second`, ldkCpu, 'payments/cpu-s');
  for (const [i, c] of contenders.entries()) {
    const rs = ourRuns[i]!;
    reportMeasurement('ln-channel', `${what} per second [${c.label}]`, measurement(rs.map((r) => r.perSecond)), 'payments/s', { name: 'LDK-WASM', measurement: ldkWall });
    reportMeasurement('ln-channel', `${what} per CPU second [${c.label}]`, measurement(rs.map((r) => r.perCpuSecond)), 'payments/cpu-s', { name: 'LDK-WASM', measurement: ldkCpu });
  }
}
