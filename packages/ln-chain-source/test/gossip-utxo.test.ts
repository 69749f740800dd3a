// End to end: ln-gossip checks a channel_announcement's funding output on the
// regtest chain through our UtxoLookups: a real 2-of-2 P2WSH output funded and
// confirmed is accepted with its capacity; a spent or missing one, or one whose
// script is not the announced keys', is refused.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { UtxoLookup } from 'ln-chain-api';
import { nobleSecp256k1 } from 'ln-crypto';
import { GossipIngest, NetworkGraph, P2PGossipSync, backendVerifier } from 'ln-gossip';
import { signChannelAnnouncement, type ChannelKeys } from 'ln-gossip-generator';
import { startRegtest, type RunningRegtest } from 'ln-regtest';
import { type Tx, SIGHASH_ALL, encodeTx, fundingKeyIsFirst, fundingScript, p2wsh, signSegwitInput, witnessSignature } from 'ln-tx';
import { CHAIN_HASHES, type NodeId, type ShortChannelId, shortChannelIdFromParts, txidFromHex } from 'ln-types';
import { decodeMessage, encodeMessage, type ChannelAnnouncementMessage } from 'ln-wire';
import { BitcoindRestClient, BitcoindRpcClient, BitcoindUtxoLookup, EsploraClient, EsploraUtxoLookup } from '../src/index.js';
import { sha256Key } from './helpers/keys.js';
import { KeyWallet, findOutput } from './helpers/wallet.js';

const secp = nobleSecp256k1;
const CAPACITY = 750_000n;
const NOW = 1_900_000_000;
let rt: RunningRegtest;
let rpc: BitcoindRpcClient;

interface Funded {
  readonly keys: ChannelKeys;
  readonly scid: ShortChannelId;
  readonly outpoint: { txid: ReturnType<typeof txidFromHex>; index: number };
  readonly witnessScript: Uint8Array;
}

const channelKeys = (label: string): ChannelKeys => ({ nodeKeyA: sha256Key(`${label} node a`), nodeKeyB: sha256Key(`${label} node b`), bitcoinKeyA: sha256Key(`${label} btc a`), bitcoinKeyB: sha256Key(`${label} btc b`) });

/** Funds a 2-of-2 output of the channel's bitcoin keys and buries it six deep; returns its short channel id. */
async function fundChannel(label: string): Promise<Funded> {
  const keys = channelKeys(label);
  const witnessScript = fundingScript(secp.publicKeyCreate(keys.bitcoinKeyA), secp.publicKeyCreate(keys.bitcoinKeyB));
  const id = rt.faucet(p2wsh(witnessScript), CAPACITY, { confirm: true });
  rt.mine(5);
  const found = rt.node.findTx(id)!;
  const height = found.location!.entry.height;
  const txIndex = found.location!.position;
  const { outpoint } = findOutput(await rpc.getRawTransaction(txidFromHex(id)), p2wsh(witnessScript));
  return { keys, scid: shortChannelIdFromParts(height, txIndex, outpoint.index), outpoint, witnessScript };
}

function announce(f: Funded, keys: ChannelKeys = f.keys, scid: ShortChannelId = f.scid): ChannelAnnouncementMessage {
  return decodeMessage(signChannelAnnouncement(secp, CHAIN_HASHES.regtest, scid, keys).raw) as ChannelAnnouncementMessage;
}

function ingestWith(lookup: UtxoLookup): GossipIngest {
  return new GossipIngest(new NetworkGraph(CHAIN_HASHES.regtest), { clock: () => NOW, verifier: backendVerifier(secp), utxoLookup: lookup });
}

let lookups: Record<'rpc' | 'rest' | 'esplora', UtxoLookup>;
let open: Funded;
let spent: Funded;

beforeAll(async () => {
  rt = await startRegtest({ port: 0 });
  rt.mine(101);
  rpc = new BitcoindRpcClient({ url: rt.rpcUrl, auth: rt.credentials });
  lookups = {
    rpc: new BitcoindUtxoLookup(rpc),
    rest: new BitcoindUtxoLookup(new BitcoindRestClient({ url: rt.rpcUrl })),
    esplora: new EsploraUtxoLookup(new EsploraClient({ url: rt.esploraUrl })),
  };
  open = await fundChannel('open');
  spent = await fundChannel('closed');
  // The second channel closes: both funding keys sign a spend of its output, which confirms.
  const to = new KeyWallet('closer');
  const pubA = secp.publicKeyCreate(spent.keys.bitcoinKeyA);
  const pubB = secp.publicKeyCreate(spent.keys.bitcoinKeyB);
  const close: Tx = { version: 2, locktime: 0, inputs: [{ previousOutput: spent.outpoint, sequence: 0xffffffff }], outputs: [{ script: to.script, amount: CAPACITY - 1_000n }] };
  const sigA = witnessSignature(signSegwitInput(close, 0, spent.witnessScript, CAPACITY, spent.keys.bitcoinKeyA, SIGHASH_ALL, secp));
  const sigB = witnessSignature(signSegwitInput(close, 0, spent.witnessScript, CAPACITY, spent.keys.bitcoinKeyB, SIGHASH_ALL, secp));
  const [first, second] = fundingKeyIsFirst(pubA, pubB) ? [sigA, sigB] : [sigB, sigA];
  const signed: Tx = { ...close, inputs: [{ ...close.inputs[0]!, witness: [new Uint8Array(0), first, second, spent.witnessScript] }] };
  await rpc.sendRawTransaction(encodeTx(signed));
  rt.mine(1);
});

afterAll(async () => {
  await rt.close();
});

describe.each(['rpc', 'rest', 'esplora'] as const)('ln-gossip with the %s UtxoLookup', (kind) => {
  it('P2PGossipSync accepts a channel_announcement whose funding output is a real unspent 2-of-2, and learns its capacity', async () => {
    const ingest = ingestWith(lookups[kind]);
    const sync = new P2PGossipSync(ingest);
    const peer = secp.publicKeyCreate(sha256Key('peer')) as NodeId;
    sync.peerConnected(peer, { features: new Uint8Array(0) }, false);
    sync.handleMessage(peer, announce(open));
    await sync.idle();
    const c = ingest.graph.channelIndex(open.scid);
    expect(c).toBeGreaterThanOrEqual(0);
    expect(ingest.graph.channelCapacitySat(c)).toBe(Number(CAPACITY));
  });

  it('refuses a spent output, a missing output and an output of other keys', async () => {
    const ingest = ingestWith(lookups[kind]);
    const missing = shortChannelIdFromParts(Number(open.scid >> 40n), Number((open.scid >> 16n) & 0xffffffn), 7);
    const noBlock = shortChannelIdFromParts(rt.node.height + 100, 1, 0);
    const wrongKeys = announce(open, channelKeys('someone else'));
    for (const m of [announce(spent), announce(open, open.keys, missing), announce(open, open.keys, noBlock), wrongKeys]) {
      await ingest.ingest([encodeMessage(m)]);
    }
    await ingest.settled();
    expect(ingest.graph.liveChannelCount).toBe(0);
    expect(ingest.stats.refused).toBe(4);
    // The open channel still goes in on the same ingest.
    await ingest.ingest([encodeMessage(announce(open))]);
    await ingest.settled();
    expect(ingest.graph.channelIndex(open.scid)).toBeGreaterThanOrEqual(0);
  });

  it('another chain: unknown_chain', async () => {
    expect(await lookups[kind].getUtxo(CHAIN_HASHES.bitcoin, open.scid)).toEqual({ ok: false, error: 'unknown_chain' });
    expect((await lookups[kind].getUtxo(CHAIN_HASHES.regtest, open.scid)).ok).toBe(true);
  });
});

