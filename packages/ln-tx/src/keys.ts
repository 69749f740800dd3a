import { type Secp256k1Backend, defaultSecp256k1, sha256 } from 'ln-crypto';
import { concatBytes } from 'ln-types';
import { TxError } from './errors.js';

function guard<T>(what: string, f: () => T): T {
  try {
    return f();
  } catch (cause) {
    throw new TxError('invalid_key', `${what}: invalid key material`, { cause });
  }
}

/** The per-commitment point of a per-commitment secret (`secret·G`). */
export function perCommitmentPoint(secret: Uint8Array, backend: Secp256k1Backend = defaultSecp256k1): Uint8Array {
  return guard('per-commitment point', () => backend.publicKeyCreate(secret));
}

/**
 * localpubkey / remotepubkey / htlcpubkey / delayedpubkey:
 * `basepoint + SHA256(per_commitment_point || basepoint)·G`.
 */
export function derivePublicKey(basepoint: Uint8Array, perCommitmentPoint: Uint8Array, backend: Secp256k1Backend = defaultSecp256k1): Uint8Array {
  return guard('derive pubkey', () => backend.publicKeyTweakAdd(basepoint, sha256(concatBytes(perCommitmentPoint, basepoint))));
}

/** The private key matching {@link derivePublicKey}: `basepoint_secret + SHA256(per_commitment_point || basepoint)`. */
export function derivePrivateKey(basepointSecret: Uint8Array, perCommitmentPoint: Uint8Array, backend: Secp256k1Backend = defaultSecp256k1): Uint8Array {
  return guard('derive privkey', () => {
    const basepoint = backend.publicKeyCreate(basepointSecret);
    return backend.privateKeyTweakAdd(basepointSecret, sha256(concatBytes(perCommitmentPoint, basepoint)));
  });
}

/**
 * revocationpubkey = revocation_basepoint·SHA256(revocation_basepoint || per_commitment_point)
 *                  + per_commitment_point·SHA256(per_commitment_point || revocation_basepoint).
 */
export function deriveRevocationPublicKey(
  revocationBasepoint: Uint8Array,
  perCommitmentPoint: Uint8Array,
  backend: Secp256k1Backend = defaultSecp256k1,
): Uint8Array {
  return guard('derive revocation pubkey', () => {
    const a = backend.publicKeyTweakMul(revocationBasepoint, sha256(concatBytes(revocationBasepoint, perCommitmentPoint)));
    const b = backend.publicKeyTweakMul(perCommitmentPoint, sha256(concatBytes(perCommitmentPoint, revocationBasepoint)));
    return backend.publicKeyCombine(a, b);
  });
}

/**
 * The revocation private key, computable once the counterparty has revealed its
 * per-commitment secret: `rb_secret·SHA256(rb || pcp) + pc_secret·SHA256(pcp || rb)`.
 */
export function deriveRevocationPrivateKey(
  revocationBasepointSecret: Uint8Array,
  perCommitmentSecret: Uint8Array,
  backend: Secp256k1Backend = defaultSecp256k1,
): Uint8Array {
  return guard('derive revocation privkey', () => {
    const rb = backend.publicKeyCreate(revocationBasepointSecret);
    const pcp = backend.publicKeyCreate(perCommitmentSecret);
    const a = backend.privateKeyTweakMul(revocationBasepointSecret, sha256(concatBytes(rb, pcp)));
    const b = backend.privateKeyTweakMul(perCommitmentSecret, sha256(concatBytes(pcp, rb)));
    return backend.privateKeyTweakAdd(a, b);
  });
}

/** The basepoints a party announces in open_channel / accept_channel. */
export interface ChannelBasepoints {
  readonly fundingPubkey: Uint8Array;
  readonly revocationBasepoint: Uint8Array;
  readonly paymentBasepoint: Uint8Array;
  readonly delayedPaymentBasepoint: Uint8Array;
  readonly htlcBasepoint: Uint8Array;
}

/** The keys of one commitment transaction, from its broadcaster's point of view. */
export interface CommitmentKeys {
  readonly perCommitmentPoint: Uint8Array;
  readonly revocationPubkey: Uint8Array;
  readonly broadcasterDelayedPubkey: Uint8Array;
  readonly broadcasterHtlcPubkey: Uint8Array;
  readonly countersignatoryHtlcPubkey: Uint8Array;
  /** to_remote key: with option_static_remotekey (and anchors) the countersignatory's payment basepoint itself. */
  readonly countersignatoryPaymentPubkey: Uint8Array;
}

// A channel derives the keys of one commitment several times (its own checks,
// the signer's, the txid for the monitor): recent results are kept. The
// derivation is pure, so a hit returns what a recomputation would.
const KEYS_CACHE_SIZE = 256;
const keysCache = new Map<string, CommitmentKeys>();

function hexKey(parts: readonly Uint8Array[]): string {
  let s = '';
  for (const p of parts) {
    for (let i = 0; i < p.length; i++) s += (p[i]! < 16 ? '0' : '') + p[i]!.toString(16);
    s += '|';
  }
  return s;
}

function copyKeys(k: CommitmentKeys): CommitmentKeys {
  return {
    perCommitmentPoint: k.perCommitmentPoint.slice(),
    revocationPubkey: k.revocationPubkey.slice(),
    broadcasterDelayedPubkey: k.broadcasterDelayedPubkey.slice(),
    broadcasterHtlcPubkey: k.broadcasterHtlcPubkey.slice(),
    countersignatoryHtlcPubkey: k.countersignatoryHtlcPubkey.slice(),
    countersignatoryPaymentPubkey: k.countersignatoryPaymentPubkey.slice(),
  };
}

/**
 * Derives every key of the commitment transaction that `broadcaster` would broadcast
 * at `perCommitmentPoint` (static remote key: to_remote pays the basepoint directly).
 * Recent results are kept (a bounded cache); every call returns fresh copies.
 */
export function deriveCommitmentKeys(
  perCommitmentPoint: Uint8Array,
  broadcaster: ChannelBasepoints,
  countersignatory: ChannelBasepoints,
  backend: Secp256k1Backend = defaultSecp256k1,
): CommitmentKeys {
  const key =
    backend.name +
    hexKey([
      perCommitmentPoint,
      countersignatory.revocationBasepoint,
      broadcaster.delayedPaymentBasepoint,
      broadcaster.htlcBasepoint,
      countersignatory.htlcBasepoint,
      countersignatory.paymentBasepoint,
    ]);
  const hit = keysCache.get(key);
  if (hit !== undefined) return copyKeys(hit);
  const keys: CommitmentKeys = {
    perCommitmentPoint: perCommitmentPoint.slice(),
    revocationPubkey: deriveRevocationPublicKey(countersignatory.revocationBasepoint, perCommitmentPoint, backend),
    broadcasterDelayedPubkey: derivePublicKey(broadcaster.delayedPaymentBasepoint, perCommitmentPoint, backend),
    broadcasterHtlcPubkey: derivePublicKey(broadcaster.htlcBasepoint, perCommitmentPoint, backend),
    countersignatoryHtlcPubkey: derivePublicKey(countersignatory.htlcBasepoint, perCommitmentPoint, backend),
    countersignatoryPaymentPubkey: countersignatory.paymentBasepoint.slice(),
  };
  if (keysCache.size >= KEYS_CACHE_SIZE) keysCache.delete(keysCache.keys().next().value!);
  keysCache.set(key, keys);
  return copyKeys(keys);
}
