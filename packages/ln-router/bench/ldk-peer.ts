// The peer of the routing benchmark: rust-lightning compiled to WebAssembly
// (npm `lightningdevkit`), fed the same graph as unsigned announcements and
// updates, with a UTXO lookup that gives each channel its capacity (so LDK
// knows capacities as our view does).
import { sha256 } from 'ln-crypto';
import type { MainnetGraph } from 'ln-mainnet-graph';
import * as ldk from 'lightningdevkit';
import { initLdk } from 'ln-ldk-node';

const MAINNET_CHAIN_HASH = Uint8Array.from(Buffer.from('6fe28c0ab6f1b372c1a6a246ae63f74f931e8365e15a089c68d6190000000000', 'hex'));

export { initLdk };

function fundingScript(key1: Uint8Array, key2: Uint8Array): Uint8Array {
  const redeem = new Uint8Array([0x52, 0x21, ...key1, 0x21, ...key2, 0x52, 0xae]);
  return new Uint8Array([0x00, 0x20, ...sha256(redeem)]);
}

export interface LdkGraph {
  readonly graph: ldk.NetworkGraph;
  readonly logger: ldk.Logger;
  readonly rejected: number;
}

/** Loads the graph into an LDK NetworkGraph. */
export function buildLdkGraph(data: MainnetGraph, useLookup = true): LdkGraph {
  const logger = ldk.Logger.new_impl({ log() {} } as ldk.LoggerInterface);
  const graph = ldk.NetworkGraph.constructor_new(ldk.Network.LDKNetwork_Bitcoin, logger);
  const byScid = new Map<bigint, { value: bigint; script: Uint8Array }>();
  const lookup = ldk.UtxoLookup.new_impl({
    get_utxo(_chain: Uint8Array, scid: bigint): ldk.UtxoResult {
      const u = byScid.get(scid)!;
      return ldk.UtxoResult.constructor_sync(ldk.Result_TxOutUtxoLookupErrorZ.constructor_ok(ldk.TxOut.constructor_new(u.value, u.script)));
    },
  } as ldk.UtxoLookupInterface);
  const someLookup = ldk.Option_UtxoLookupZ.constructor_some(lookup);
  const timestamp = Math.floor(Date.now() / 1000) - 3600;
  let rejected = 0;
  for (const c of data.channels) {
    const id1 = data.nodes[c.node1]!.nodeId;
    const id2 = data.nodes[c.node2]!.nodeId;
    byScid.set(c.shortChannelId, { value: c.capacitySat, script: fundingScript(id1, id2) });
    const ann = ldk.UnsignedChannelAnnouncement.constructor_new(
      ldk.ChannelFeatures.constructor_empty(),
      MAINNET_CHAIN_HASH,
      c.shortChannelId,
      ldk.NodeId.constructor_from_pubkey(id1),
      ldk.NodeId.constructor_from_pubkey(id2),
      ldk.NodeId.constructor_from_pubkey(id1),
      ldk.NodeId.constructor_from_pubkey(id2),
      new Uint8Array(0),
    );
    if (!graph.update_channel_from_unsigned_announcement(ann, useLookup ? someLookup : ldk.Option_UtxoLookupZ.constructor_none()).is_ok()) {
      rejected++;
      continue;
    }
    const capMsat = c.capacitySat * 1000n;
    c.policies.forEach((p, d) => {
      const upd = ldk.UnsignedChannelUpdate.constructor_new(
        MAINNET_CHAIN_HASH,
        c.shortChannelId,
        timestamp,
        1,
        d | (p.disabled ? 2 : 0),
        p.cltvExpiryDelta,
        p.htlcMinimumMsat,
        // LDK refuses an htlc_maximum above the capacity.
        p.htlcMaximumMsat > capMsat ? capMsat : p.htlcMaximumMsat,
        p.feeBaseMsat,
        p.feeProportionalMillionths,
        new Uint8Array(0),
      );
      if (!graph.update_channel_unsigned(upd).is_ok()) rejected++;
    });
  }
  return { graph, logger, rejected };
}

export type LdkScorerKind = 'zero' | 'probabilistic';

/** A router over an LDK graph: returns the route's total fee in msat, or undefined if LDK found none. */
export function ldkRouter(g: LdkGraph, kind: LdkScorerKind): (payer: Uint8Array, payee: Uint8Array, amountMsat: bigint, mpp: boolean) => bigint | undefined {
  const scorer =
    kind === 'zero'
      ? ldk.FixedPenaltyScorer.constructor_with_penalty(0n).as_ScoreLookUp()
      : ldk.ProbabilisticScorer.constructor_new(ldk.ProbabilisticScoringDecayParameters.constructor_default(), g.graph, g.logger).as_ScoreLookUp();
  const feeParams = ldk.ProbabilisticScoringFeeParameters.constructor_default();
  const seed = new Uint8Array(32).fill(7);
  return (payer, payee, amountMsat, mpp) => {
    const features = ldk.Bolt11InvoiceFeatures.constructor_empty();
    features.set_variable_length_onion_optional();
    features.set_payment_secret_optional();
    if (mpp) features.set_basic_mpp_optional();
    const payeeObj = ldk.Payee.constructor_clear(payee, [], features, 18);
    const pp = ldk.PaymentParameters.constructor_from_node_id(payee, 18);
    const params = ldk.PaymentParameters.constructor_new(
      payeeObj,
      ldk.Option_u64Z.constructor_none(),
      pp.get_max_total_cltv_expiry_delta(),
      mpp ? 10 : 1,
      pp.get_max_path_length(),
      2,
      [],
      [],
    );
    const rp = ldk.RouteParameters.constructor_from_payment_params_and_value(params, amountMsat);
    const res = ldk.UtilMethods.constructor_find_route(payer, rp, g.graph, null, g.logger, scorer, feeParams, seed);
    if (res instanceof ldk.Result_RouteLightningErrorZ_OK) return res.res.get_total_fees();
    return undefined;
  };
}
