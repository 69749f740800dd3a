import type { SpendableOutputDescriptor, Utxo, WalletSource } from 'ln-chain-api';
import type { ChannelSigner, SignerProvider } from 'ln-signer-api';
import {
  type SweepInput,
  type Tx,
  ANCHORS_TO_REMOTE_WITNESS_WEIGHT,
  DELAYED_OUTPUT_WITNESS_WEIGHT,
  P2WPKH_WITNESS_WEIGHT,
  buildSweepTx,
  p2pkh,
  p2wpkhWitness,
  toLocalDelayedWitness,
  toRemoteAnchorsWitness,
  withWitness,
} from 'ln-tx';
import { toHex } from 'ln-types';
import { MonitorError } from '../errors.js';

// One transaction spending spendable outputs to a wallet script (LDK's
// KeysManager::spend_spendable_outputs): delayed outputs with their CSV as
// sequence, to_remote outputs (anchors: CSV 1), and our own static outputs when
// a wallet that can sign them is given.

/** Signs the inputs the channel signers cannot (static outputs of the wallet). */
export type StaticOutputSigner = Pick<WalletSource, 'signTransaction'>;

/** Outputs below this are not created. */
const SWEEP_DUST_SAT = 330n;

function sweepInput(d: SpendableOutputDescriptor): SweepInput {
  switch (d.kind) {
    case 'delayed_payment_output':
      return { input: { previousOutput: d.outpoint, sequence: d.toSelfDelay }, amountSat: d.output.valueSat, witnessWeight: DELAYED_OUTPUT_WITNESS_WEIGHT };
    case 'static_payment_output':
      return d.witnessScript === undefined
        ? { input: { previousOutput: d.outpoint, sequence: 0xfffffffd }, amountSat: d.output.valueSat, witnessWeight: P2WPKH_WITNESS_WEIGHT }
        : { input: { previousOutput: d.outpoint, sequence: 1 }, amountSat: d.output.valueSat, witnessWeight: ANCHORS_TO_REMOTE_WITNESS_WEIGHT };
    case 'static_output':
      return { input: { previousOutput: d.outpoint, sequence: 0xfffffffd }, amountSat: d.output.valueSat, witnessWeight: P2WPKH_WITNESS_WEIGHT };
  }
}

/**
 * Builds and signs the sweep of `descriptors` to `destination` at `feeratePerKw`.
 * @throws TxError `insufficient_funds` when the fee would leave dust;
 *   MonitorError `inconsistent` for a static output without a wallet to sign it
 */
export async function buildSignedSweep(
  descriptors: readonly SpendableOutputDescriptor[],
  destination: Uint8Array,
  feeratePerKw: number,
  signerProvider: SignerProvider,
  staticSigner: StaticOutputSigner | undefined,
): Promise<Tx> {
  const unsigned = buildSweepTx(descriptors.map(sweepInput), destination, feeratePerKw, SWEEP_DUST_SAT);
  const signers = new Map<string, ChannelSigner>();
  const signerOf = (keysId: Uint8Array, value: bigint): ChannelSigner => {
    const key = toHex(keysId);
    let s = signers.get(key);
    if (s === undefined) signers.set(key, (s = signerProvider.deriveChannelSigner(value, keysId)));
    return s;
  };
  let tx = unsigned;
  const walletInputs: Utxo[] = [];
  for (const [i, d] of descriptors.entries()) {
    switch (d.kind) {
      case 'delayed_payment_output': {
        const sig = await signerOf(d.channelKeysId, d.channelValueSat).signHolderDelayedOutput(
          { tx: unsigned, inputIndex: i, amountSat: d.output.valueSat, witnessScript: d.witnessScript },
          d.commitmentNumber,
        );
        tx = withWitness(tx, i, toLocalDelayedWitness(sig, d.witnessScript));
        break;
      }
      case 'static_payment_output': {
        const signer = signerOf(d.channelKeysId, d.channelValueSat);
        const key = signer.pubkeys.paymentBasepoint;
        const witnessScript = d.witnessScript ?? p2pkh(key);
        const sig = await signer.signCounterpartyPaymentOutput({ tx: unsigned, inputIndex: i, amountSat: d.output.valueSat, witnessScript });
        tx = withWitness(tx, i, d.witnessScript === undefined ? p2wpkhWitness(sig, key) : toRemoteAnchorsWitness(sig, d.witnessScript));
        break;
      }
      case 'static_output':
        if (staticSigner === undefined) throw new MonitorError('inconsistent', 'a static output needs a wallet to sign it');
        walletInputs.push({ outpoint: d.outpoint, output: d.output, satisfactionWeight: 4 + P2WPKH_WITNESS_WEIGHT });
        break;
    }
  }
  if (walletInputs.length > 0) tx = await staticSigner!.signTransaction(tx, walletInputs);
  return tx;
}
