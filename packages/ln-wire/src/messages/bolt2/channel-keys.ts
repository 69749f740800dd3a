import type { PublicKey } from 'ln-types';
import type { Reader } from '../../codec/reader.js';
import type { Writer } from '../../codec/writer.js';
import { readKey } from './common.js';

/**
 * The keys every channel proposal and acceptance carries, in wire order
 * (open_channel, accept_channel, open_channel2, accept_channel2).
 */
export interface ChannelKeys {
  readonly fundingPubkey: PublicKey;
  readonly revocationBasepoint: PublicKey;
  readonly paymentBasepoint: PublicKey;
  readonly delayedPaymentBasepoint: PublicKey;
  readonly htlcBasepoint: PublicKey;
  readonly firstPerCommitmentPoint: PublicKey;
}

/** Reads the six {@link ChannelKeys} (each prefix-checked). */
export function readChannelKeys(r: Reader): ChannelKeys {
  return {
    fundingPubkey: readKey(r, 'funding_pubkey'),
    revocationBasepoint: readKey(r, 'revocation_basepoint'),
    paymentBasepoint: readKey(r, 'payment_basepoint'),
    delayedPaymentBasepoint: readKey(r, 'delayed_payment_basepoint'),
    htlcBasepoint: readKey(r, 'htlc_basepoint'),
    firstPerCommitmentPoint: readKey(r, 'first_per_commitment_point'),
  };
}

/** Writes the six {@link ChannelKeys}. */
export function writeChannelKeys(w: Writer, k: ChannelKeys): Writer {
  return w
    .fixed(k.fundingPubkey, 33, 'funding_pubkey')
    .fixed(k.revocationBasepoint, 33, 'revocation_basepoint')
    .fixed(k.paymentBasepoint, 33, 'payment_basepoint')
    .fixed(k.delayedPaymentBasepoint, 33, 'delayed_payment_basepoint')
    .fixed(k.htlcBasepoint, 33, 'htlc_basepoint')
    .fixed(k.firstPerCommitmentPoint, 33, 'first_per_commitment_point');
}
