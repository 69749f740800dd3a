import { HDKey } from '@scure/bip32';
import { sha256 } from 'ln-crypto';
import { concatBytes, utf8ToBytes } from 'ln-types';

const HARDENED = 0x80000000;

/** A hardened BIP 32 child's private key (path of hardened indices from `root`). */
export function hardenedChildKey(root: HDKey, ...path: number[]): Uint8Array {
  let key = root;
  for (const i of path) key = key.deriveChild((i & 0x7fffffff) + HARDENED);
  if (key.privateKey === null) throw new Error('BIP 32 derivation produced no private key');
  return key.privateKey;
}

/** The BIP 32 master key of a 32-byte seed. */
export function masterKey(seed: Uint8Array): HDKey {
  return HDKey.fromMasterSeed(seed);
}

/** The channel secrets a keys id derives to (tags name each key so none is reused for two roles). */
export interface ChannelSecrets {
  readonly fundingKey: Uint8Array;
  readonly revocationBaseKey: Uint8Array;
  readonly paymentKey: Uint8Array;
  readonly delayedPaymentBaseKey: Uint8Array;
  readonly htlcBaseKey: Uint8Array;
  readonly commitmentSeed: Uint8Array;
}

/**
 * LDK-style per-channel derivation: the channel master key m/3' is extended with
 * two hardened indices taken from the keys id, and the child key together with
 * the full keys id seeds SHA-256 of one tag per key.
 */
export function deriveChannelSecrets(channelMaster: HDKey, keysId: Uint8Array): ChannelSecrets {
  const view = new DataView(keysId.buffer, keysId.byteOffset, keysId.byteLength);
  const child = hardenedChildKey(channelMaster, view.getUint32(0), view.getUint32(4));
  const seed = sha256(concatBytes(child, keysId));
  const key = (tag: string) => sha256(concatBytes(seed, utf8ToBytes(tag)));
  return {
    fundingKey: key('funding key'),
    revocationBaseKey: key('revocation base key'),
    paymentKey: key('payment key'),
    delayedPaymentBaseKey: key('delayed payment base key'),
    htlcBaseKey: key('HTLC base key'),
    commitmentSeed: key('commitment seed'),
  };
}
