// Builds the benchmark's chain on ln-regtest through its in-process API:
// `blocks` blocks of `txsPerBlock` transactions (plus the coinbase), each a
// real transaction the chain validates, spending a pay-to-witness-script
// output whose script is OP_TRUE (no signatures: the setup stays quick).
import type { RunningRegtest } from 'ln-regtest';
import { type Tx, encodeTx, p2wsh, txidOf } from 'ln-tx';
import { type OutPoint, txidFromHex } from 'ln-types';

const OP_TRUE = Uint8Array.of(0x51);
const LANE_SCRIPT = p2wsh(OP_TRUE);
const FEE = 300n;

/** Mines the blocks; returns the height of the block before the first of them. */
export function buildChain(rt: RunningRegtest, blocks: number, txsPerBlock: number): number {
  if (rt.node.height < 101) rt.mine(101 - rt.node.height);
  const laneValue = 2_000_000n;
  const fundId = rt.faucet(LANE_SCRIPT, laneValue * BigInt(txsPerBlock) + 100_000n, { confirm: true });
  const fundTx = rt.node.findTx(fundId)!.info;
  const fundIndex = fundTx.tx.outputs.findIndex((o) => o.script.length === 34 && o.script.every((b, i) => b === LANE_SCRIPT[i]));
  const fanOut: Tx = {
    version: 2,
    locktime: 0,
    inputs: [{ previousOutput: { txid: txidFromHex(fundId), index: fundIndex }, sequence: 0xffffffff, witness: [OP_TRUE] }],
    outputs: Array.from({ length: txsPerBlock }, () => ({ script: LANE_SCRIPT, amount: laneValue })),
  };
  rt.node.generateBlock(rt.node.faucet.script, [encodeTx(fanOut)]);
  const start = rt.node.height;
  const fanOutId = txidOf(fanOut);
  const lanes: { point: OutPoint; value: bigint }[] = Array.from({ length: txsPerBlock }, (_, index) => ({ point: { txid: fanOutId, index }, value: laneValue }));
  for (let b = 0; b < blocks; b++) {
    const raws: Uint8Array[] = [];
    for (const lane of lanes) {
      const tx: Tx = { version: 2, locktime: 0, inputs: [{ previousOutput: lane.point, sequence: 0xffffffff, witness: [OP_TRUE] }], outputs: [{ script: LANE_SCRIPT, amount: lane.value - FEE }] };
      raws.push(encodeTx(tx));
      lane.point = { txid: txidOf(tx), index: 0 };
      lane.value -= FEE;
    }
    rt.node.generateBlock(rt.node.faucet.script, raws);
  }
  return start;
}
