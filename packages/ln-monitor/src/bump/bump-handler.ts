import type { BroadcasterInterface, Utxo, WalletSource } from 'ln-chain-api';
import type { ChannelSigner, SignerProvider } from 'ln-signer-api';
import { type Logger, isLogEnabled, silentLogger, toHex } from 'ln-types';
import {
  type Tx,
  type TxInput,
  type TxOutput,
  ANCHOR_WITNESS_WEIGHT,
  MAX_SIGNATURE_ITEM,
  SEGWIT_INPUT_BASE_WEIGHT,
  SIGHASH_ALL,
  SIGHASH_SINGLE_ANYONECANPAY,
  anchorWitness,
  txWeight,
  txidOf,
  withWitness,
  witnessSignature,
  witnessWeight,
} from 'ln-tx';
import type { BumpTransactionEvent, HtlcDescriptor } from '../events.js';
import { type Selection, feeRoundedUp, outputWeight, selectUtxos } from './coin-selection.js';

// Completes BumpTransaction events with the wallet (LDK's BumpTransactionEventHandler):
// a child spending our anchor and wallet outputs that brings the commitment and
// child package to the target rate; or one transaction holding zero-fee HTLC
// transactions (each input paired with its output, as SIGHASH_SINGLE requires)
// plus wallet inputs and change. A later event with the same claim id replaces
// the earlier transaction: it spends the same wallet outputs, with more fee.

/** Version, locktime, input and output counts, segwit marker and flag. */
const TX_OVERHEAD_WEIGHT = (4 + 4 + 1 + 1) * 4 + 2;
/** Inputs the handler adds signal replaceability. */
const WALLET_SEQUENCE = 0xfffffffd;

export interface BumpTransactionEventHandlerOptions {
  readonly wallet: WalletSource;
  /** Derives the channel's signer (for the anchor and HTLC inputs) from the keys id in the event. */
  readonly signerProvider: SignerProvider;
  readonly broadcaster: BroadcasterInterface;
  readonly logger?: Logger;
}

interface Previous {
  readonly utxos: readonly Utxo[];
  readonly fee: bigint;
}

export class BumpTransactionEventHandler {
  private readonly options: BumpTransactionEventHandlerOptions;
  private readonly logger: Logger;
  /** What each claim's last transaction spent and paid: its replacement spends the same and pays more. */
  private readonly previous = new Map<string, Previous>();

  constructor(options: BumpTransactionEventHandlerOptions) {
    this.options = options;
    this.logger = options.logger ?? silentLogger;
  }

  /**
   * Builds, signs and broadcasts the transaction an event asks for.
   * @throws MonitorError `wallet` when the wallet cannot pay (the next bump asks again)
   */
  async handleEvent(event: BumpTransactionEvent): Promise<Tx[]> {
    const txs = event.kind === 'channel_close' ? await this.channelClose(event) : await this.htlcResolution(event);
    this.options.broadcaster.broadcastTransactions(txs);
    if (isLogEnabled(this.logger, 'info')) {
      this.logger.log({ level: 'info', module: 'ln-monitor/bump', message: `${event.kind} bumped`, fields: { txids: txs.map((t) => toHex(txidOf(t))) } });
    }
    return txs;
  }

  private signer(keysId: Uint8Array, valueSat: bigint, params: Parameters<ChannelSigner['provideChannelParameters']>[0]): ChannelSigner {
    const signer = this.options.signerProvider.deriveChannelSigner(valueSat, keysId);
    signer.provideChannelParameters(params);
    return signer;
  }

  private async select(claimId: string, baseWeight: number, available: bigint, fee: (weight: number) => bigint): Promise<{ selection: Selection; changeScript: Uint8Array }> {
    const candidates = await this.options.wallet.listConfirmedUtxos();
    const changeScript = await this.options.wallet.getChangeScript();
    const prev = this.previous.get(claimId);
    // A replacement pays more than what it replaces, plus its own relay (BIP 125).
    const withRbf = (weight: number) => {
      const f = fee(weight);
      return prev === undefined ? f : f > prev.fee + feeRoundedUp(253, weight) ? f : prev.fee + feeRoundedUp(253, weight);
    };
    const selection = selectUtxos(candidates, prev?.utxos ?? [], baseWeight, changeScript.length, available, withRbf);
    return { selection, changeScript };
  }

  private async channelClose(event: Extract<BumpTransactionEvent, { kind: 'channel_close' }>): Promise<Tx[]> {
    const claimId = toHex(event.claimId);
    const parentWeight = txWeight(event.commitmentTx);
    const anchorWeight = SEGWIT_INPUT_BASE_WEIGHT + ANCHOR_WITNESS_WEIGHT;
    const { selection, changeScript } = await this.select(claimId, TX_OVERHEAD_WEIGHT + anchorWeight, event.anchor.amountSat, (childWeight) => {
      const packageFee = feeRoundedUp(event.packageTargetFeerate, parentWeight + childWeight) - event.commitmentTxFeeSat;
      const own = feeRoundedUp(253, childWeight);
      return packageFee > own ? packageFee : own;
    });
    const inputs: TxInput[] = [
      { previousOutput: event.anchor.outpoint, sequence: WALLET_SEQUENCE },
      ...selection.utxos.map((u) => ({ previousOutput: u.outpoint, sequence: WALLET_SEQUENCE })),
    ];
    const unsigned: Tx = { version: 2, locktime: 0, inputs, outputs: [{ script: changeScript, amount: selection.change }] };
    const a = event.anchor;
    const signer = this.signer(a.channelKeysId, a.channelValueSat, a.parameters);
    const sig = await signer.signHolderAnchorInput(unsigned, 0);
    let child = withWitness(unsigned, 0, anchorWitness(sig, a.witnessScript));
    child = await this.options.wallet.signTransaction(child, selection.utxos);
    this.previous.set(claimId, { utxos: selection.utxos, fee: selection.fee });
    return [event.commitmentTx, child];
  }

  private async htlcResolution(event: Extract<BumpTransactionEvent, { kind: 'htlc_resolution' }>): Promise<Tx[]> {
    const claimId = toHex(event.claimId);
    const htlcInputs: TxInput[] = [];
    const htlcOutputs: TxOutput[] = [];
    let weight = TX_OVERHEAD_WEIGHT;
    for (const d of event.htlcDescriptors) {
      htlcInputs.push(d.htlc.tx.inputs[0]!);
      htlcOutputs.push(d.htlc.tx.outputs[0]!);
      weight += SEGWIT_INPUT_BASE_WEIGHT + htlcWitnessWeight(d) + outputWeight(d.htlc.tx.outputs[0]!.script.length);
    }
    // The HTLC inputs bring exactly what their outputs pay (zero-fee): the wallet pays it all.
    const { selection, changeScript } = await this.select(claimId, weight, 0n, (w) => feeRoundedUp(event.targetFeerate, w));
    const unsigned: Tx = {
      version: 2,
      locktime: event.txLockTime,
      inputs: [...htlcInputs, ...selection.utxos.map((u) => ({ previousOutput: u.outpoint, sequence: WALLET_SEQUENCE }))],
      outputs: [...htlcOutputs, { script: changeScript, amount: selection.change }],
    };
    let tx = unsigned;
    const first = event.htlcDescriptors[0]!;
    const signer = this.signer(first.channelKeysId, first.channelValueSat, first.parameters);
    for (const [i, d] of event.htlcDescriptors.entries()) {
      const ours = await signer.signHolderHtlcTransaction({ ...d.htlc, tx: unsigned }, d.commitmentNumber, i);
      tx = withWitness(tx, i, [
        new Uint8Array(0),
        witnessSignature(d.counterpartySignature, SIGHASH_SINGLE_ANYONECANPAY),
        witnessSignature(ours, SIGHASH_ALL),
        d.htlc.kind === 'success' ? d.preimage! : new Uint8Array(0),
        d.htlc.witnessScript,
      ]);
    }
    tx = await this.options.wallet.signTransaction(tx, selection.utxos);
    this.previous.set(claimId, { utxos: selection.utxos, fee: selection.fee });
    return [tx];
  }
}

/** Weight of an HTLC transaction input's witness: `0 <remote sig> <local sig> <preimage or empty> <script>`. */
function htlcWitnessWeight(d: HtlcDescriptor): number {
  return witnessWeight([0, MAX_SIGNATURE_ITEM, MAX_SIGNATURE_ITEM, d.htlc.kind === 'success' ? 32 : 0, d.htlc.witnessScript.length]);
}
