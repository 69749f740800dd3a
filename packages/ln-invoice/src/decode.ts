import { isLnError, type PublicKey } from 'ln-types';
import { defaultSecp256k1, type Secp256k1Backend } from 'ln-crypto';
import { decodeBech32To, wordsToBytes } from './bech32.js';
import { parseHrpAmount } from './amount.js';
import { splitHrp } from './currency.js';
import { Bech32Error, InvoiceError } from './errors.js';
import { featureWordsToBytes, unknownRequiredFeatureBits } from './features.js';
import { readDescription, readFallback, readHash32, readInteger, readNodeId, readRouteHint, scratchBytes } from './fields.js';
import { Scratch } from './scratch.js';
import { invoiceSigningHash, isHighS, negateS } from './signing.js';
import { SIGNATURE_WORDS, TAG, TIMESTAMP_WORDS } from './tags.js';
import type { DecodedInvoice, Fallback, InvoiceSignature, RawField, RouteHintHop } from './types.js';

/** Options of {@link decodeInvoice}. */
export interface DecodeInvoiceOptions {
  /** secp256k1 implementation for recovery and verification (default: ln-crypto's default, noble). */
  readonly secp256k1?: Secp256k1Backend;
}

// The 5-bit words of the invoice being decoded: read into fields (copied where kept) before the signature check.
const wordScratch = new Scratch();
const wordsOf = (length: number) => wordScratch.view(length);

interface Mutable {
  paymentHash?: Uint8Array;
  paymentSecret?: Uint8Array;
  description?: string;
  descriptionHash?: Uint8Array;
  payeeNodeId?: PublicKey;
  expirySeconds?: number;
  minFinalCltvExpiryDelta?: number;
  metadata?: Uint8Array;
  features?: Uint8Array;
}

/**
 * Decodes a BOLT 11 invoice string (any case, optional `lightning:` prefix) and
 * checks its signature: against the `n` field when present (low-S only), else by
 * recovering the payee's key. Unknown fields and fields a reader must skip are
 * kept in `extraFields`.
 *
 * A high-S signature without `n` is recovered in its low-S form with the
 * transmitted recovery id, which is what the spec's "Public-key recovery with
 * high-S signature" example expects (it names the same payee as the low-S one).
 *
 * @throws InvoiceError with the reason as `code`
 */
export function decodeInvoice(text: string, options: DecodeInvoiceOptions = {}): DecodedInvoice {
  if (typeof text !== 'string') throw new InvoiceError('invalid_character', 'invoice must be a string');
  const stripped = hasLightningScheme(text) ? text.slice(10) : text;
  let hrp: string;
  let words: Uint8Array;
  try {
    ({ hrp, words } = decodeBech32To(stripped, true, wordsOf));
  } catch (e) {
    if (e instanceof Bech32Error) throw new InvoiceError(e.code, e.message, { cause: e });
    throw e;
  }
  const parts = splitHrp(hrp);
  if (parts === undefined) throw new InvoiceError('unknown_prefix', `unknown invoice prefix in ${JSON.stringify(hrp.slice(0, 12))}`);
  const amountMsat = parseHrpAmount(parts.amount);
  if (words.length < TIMESTAMP_WORDS + SIGNATURE_WORDS) throw new InvoiceError('too_short', 'invoice data is shorter than timestamp and signature');

  const dataEnd = words.length - SIGNATURE_WORDS;
  let timestamp = 0;
  for (let i = 0; i < TIMESTAMP_WORDS; i++) timestamp = timestamp * 32 + words[i]!;

  const f: Mutable = {};
  const fallbacks: Fallback[] = [];
  const routeHints: RouteHintHop[][] = [];
  const extraFields: RawField[] = [];
  let pos = TIMESTAMP_WORDS;
  while (pos < dataEnd) {
    if (pos + 3 > dataEnd) throw new InvoiceError('field_too_long', 'tagged field header runs into the signature');
    const type = words[pos]!;
    const length = words[pos + 1]! * 32 + words[pos + 2]!;
    const start = pos + 3;
    const end = start + length;
    if (end > dataEnd) throw new InvoiceError('field_too_long', 'tagged field runs into the signature');
    pos = end;
    const data = words.subarray(start, end);
    if (!readField(f, fallbacks, routeHints, type, data)) extraFields.push({ type, words: data.slice() });
  }

  if (f.paymentHash === undefined) throw new InvoiceError('missing_payment_hash', 'invoice has no valid payment hash (p)');
  if (f.paymentSecret === undefined) throw new InvoiceError('missing_payment_secret', 'invoice has no valid payment secret (s)');
  if (f.description === undefined && f.descriptionHash === undefined) {
    throw new InvoiceError('missing_description', 'invoice has neither a description (d) nor a description hash (h)');
  }
  if (f.features !== undefined) {
    const unknown = unknownRequiredFeatureBits(f.features);
    if (unknown.length > 0) throw new InvoiceError('unknown_required_feature', `invoice requires unknown feature bit(s) ${unknown.join(', ')}`);
  }

  const sigBytes = scratchBytes(words.subarray(dataEnd));
  const recoveryId = sigBytes[64]!;
  if (recoveryId > 3) throw new InvoiceError('invalid_recovery_id', `recovery id ${recoveryId} is not 0..3`);
  const signature: InvoiceSignature = { signature: sigBytes.slice(0, 64), recoveryId: recoveryId as InvoiceSignature['recoveryId'] };
  const signingHash = invoiceSigningHash(hrp, words.subarray(0, dataEnd));
  const payee = checkSignature(signature, signingHash, f.payeeNodeId, options.secp256k1 ?? defaultSecp256k1);

  // Optional fields are set only when present (no `undefined` keys), in the declared order.
  const out: { -readonly [K in keyof DecodedInvoice]?: DecodedInvoice[K] } = { currency: parts.currency };
  if (amountMsat !== undefined) out.amountMsat = amountMsat;
  out.timestamp = timestamp;
  out.paymentHash = f.paymentHash;
  out.paymentSecret = f.paymentSecret;
  if (f.description !== undefined) out.description = f.description;
  if (f.descriptionHash !== undefined) out.descriptionHash = f.descriptionHash;
  if (f.payeeNodeId !== undefined) out.payeeNodeId = f.payeeNodeId;
  if (f.expirySeconds !== undefined) out.expirySeconds = f.expirySeconds;
  if (f.minFinalCltvExpiryDelta !== undefined) out.minFinalCltvExpiryDelta = f.minFinalCltvExpiryDelta;
  if (f.metadata !== undefined) out.metadata = f.metadata;
  if (f.features !== undefined) out.features = f.features;
  out.fallbacks = fallbacks;
  out.routeHints = routeHints;
  out.extraFields = extraFields;
  out.payee = payee;
  out.signature = signature;
  out.signingHash = signingHash;
  out.hrp = hrp;
  return out as DecodedInvoice;
}

/** Stores a parsed value; false (keep the field raw) when it did not parse. */
function set<K extends 'paymentHash' | 'paymentSecret' | 'descriptionHash' | 'payeeNodeId'>(f: Mutable, key: K, value: Mutable[K] | undefined): boolean {
  if (value === undefined) return false;
  f[key] = value;
  return true;
}

/** Reads one field into `f`; false when it is to be kept raw (unknown, skipped or repeated). */
function readField(f: Mutable, fallbacks: Fallback[], routeHints: RouteHintHop[][], type: number, data: Uint8Array): boolean {
  switch (type) {
    case TAG.paymentHash:
      return f.paymentHash === undefined && set(f, 'paymentHash', readHash32(data));
    case TAG.paymentSecret:
      return f.paymentSecret === undefined && set(f, 'paymentSecret', readHash32(data));
    case TAG.descriptionHash:
      return f.descriptionHash === undefined && set(f, 'descriptionHash', readHash32(data));
    case TAG.payeeNodeId:
      return f.payeeNodeId === undefined && set(f, 'payeeNodeId', readNodeId(data));
    case TAG.description:
      if (f.description !== undefined) return false;
      f.description = readDescription(data);
      return true;
    case TAG.expiry:
      if (f.expirySeconds !== undefined) return false;
      f.expirySeconds = readInteger(data);
      return true;
    case TAG.minFinalCltvExpiryDelta:
      if (f.minFinalCltvExpiryDelta !== undefined) return false;
      f.minFinalCltvExpiryDelta = readInteger(data);
      return true;
    case TAG.metadata:
      if (f.metadata !== undefined) return false;
      f.metadata = wordsToBytes(data);
      return true;
    case TAG.features:
      if (f.features !== undefined) return false;
      f.features = featureWordsToBytes(data);
      return true;
    case TAG.fallback: {
      const fb = readFallback(data);
      if (fb !== undefined) fallbacks.push(fb);
      return fb !== undefined;
    }
    case TAG.routeHint: {
      const hops = readRouteHint(data);
      if (hops !== undefined) routeHints.push(hops);
      return hops !== undefined;
    }
    default:
      return false;
  }
}

function checkSignature(sig: InvoiceSignature, hash: Uint8Array, stated: PublicKey | undefined, backend: Secp256k1Backend): PublicKey {
  if (stated !== undefined) {
    // ecdsaVerify refuses high-S, as the spec's "Non canonical signature (high-S) with 'n'" example requires.
    if (!backend.ecdsaVerify(sig.signature, hash, stated)) throw new InvoiceError('invalid_signature', 'signature does not verify against the n field');
    return stated;
  }
  const lowS = isHighS(sig.signature) ? negateS(sig.signature) : sig.signature;
  try {
    return backend.ecdsaRecover(lowS, sig.recoveryId, hash) as PublicKey;
  } catch (e) {
    if (isLnError(e)) throw new InvoiceError('unrecoverable_signature', 'no public key recovers from the signature', { cause: e });
    throw e;
  }
}

/** `lightning:` in any case at the start (a URI scheme is case-insensitive). */
function hasLightningScheme(text: string): boolean {
  return text.length >= 10 && text.charCodeAt(9) === 58 && text.slice(0, 9).toLowerCase() === 'lightning';
}
