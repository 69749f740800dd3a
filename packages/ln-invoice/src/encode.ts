import { concatBytes, publicKey, utf8ToBytes } from 'ln-types';
import { defaultSecp256k1, type Secp256k1Backend } from 'ln-crypto';
import { bech32Encode, bytesToWords } from './bech32.js';
import { formatHrpAmount } from './amount.js';
import { InvoiceError } from './errors.js';
import { featureBytesToWords } from './features.js';
import { isValidFallback, writeInteger, writeRouteHint } from './fields.js';
import { invoiceSigningHash, toLowS } from './signing.js';
import { MAX_FIELD_WORDS, TAG, TIMESTAMP_WORDS } from './tags.js';
import type { InvoiceData, InvoiceSignature, InvoiceSigner } from './types.js';

/** An invoice ready to sign: its hrp, data words (without signature) and the hash to sign. */
export interface UnsignedInvoice {
  readonly hrp: string;
  readonly dataWords: Uint8Array;
  readonly signingHash: Uint8Array;
}

const CURRENCIES = new Set(['bc', 'tb', 'tbs', 'bcrt']);

function field(type: number, words: Uint8Array): Uint8Array {
  if (words.length > MAX_FIELD_WORDS) throw new InvoiceError('field_too_long', `field ${type} needs ${words.length} words; at most ${MAX_FIELD_WORDS}`);
  const out = new Uint8Array(3 + words.length);
  out[0] = type;
  out[1] = words.length >>> 5;
  out[2] = words.length & 31;
  out.set(words, 3);
  return out;
}

function hash32(value: Uint8Array, what: string): Uint8Array {
  if (!(value instanceof Uint8Array) || value.length !== 32) throw new InvoiceError('invalid_field', `${what} must be 32 bytes`);
  return bytesToWords(value);
}

/**
 * Serialises invoice data (without signing): fields in the order p, s, d, h, n,
 * x, c, m, f..., r..., 9, then the raw extra fields.
 * @throws InvoiceError `invalid_field`, `invalid_amount`, `invalid_timestamp`, `field_too_long`
 */
export function prepareInvoice(data: InvoiceData): UnsignedInvoice {
  if (!CURRENCIES.has(data.currency)) throw new InvoiceError('unknown_prefix', `unknown currency ${JSON.stringify(data.currency)}`);
  const hrp = `ln${data.currency}${data.amountMsat === undefined ? '' : formatHrpAmount(data.amountMsat)}`;
  if (!Number.isSafeInteger(data.timestamp) || data.timestamp < 0 || data.timestamp >= 2 ** 35) {
    throw new InvoiceError('invalid_timestamp', 'timestamp must be an integer in [0, 2^35)');
  }
  const ts = new Uint8Array(TIMESTAMP_WORDS);
  for (let i = TIMESTAMP_WORDS - 1, v = data.timestamp; i >= 0; i--, v = Math.floor(v / 32)) ts[i] = v % 32;
  const parts: Uint8Array[] = [ts, field(TAG.paymentHash, hash32(data.paymentHash, 'payment hash'))];
  if (data.paymentSecret !== undefined) parts.push(field(TAG.paymentSecret, hash32(data.paymentSecret, 'payment secret')));
  if (data.description !== undefined) parts.push(field(TAG.description, bytesToWords(utf8ToBytes(data.description))));
  if (data.descriptionHash !== undefined) parts.push(field(TAG.descriptionHash, hash32(data.descriptionHash, 'description hash')));
  if (data.payeeNodeId !== undefined) parts.push(field(TAG.payeeNodeId, bytesToWords(publicKey(data.payeeNodeId))));
  if (data.expirySeconds !== undefined) parts.push(field(TAG.expiry, writeInteger(data.expirySeconds)));
  if (data.minFinalCltvExpiryDelta !== undefined) parts.push(field(TAG.minFinalCltvExpiryDelta, writeInteger(data.minFinalCltvExpiryDelta)));
  if (data.metadata !== undefined) parts.push(field(TAG.metadata, bytesToWords(data.metadata)));
  for (const fb of data.fallbacks ?? []) {
    if (!isValidFallback(fb)) throw new InvoiceError('invalid_field', `invalid fallback (version ${fb.version}, ${fb.program.length} bytes)`);
    parts.push(field(TAG.fallback, concatBytes(Uint8Array.of(fb.version), bytesToWords(fb.program))));
  }
  for (const hint of data.routeHints ?? []) parts.push(field(TAG.routeHint, bytesToWords(writeRouteHint(hint))));
  if (data.features !== undefined) {
    const words = featureBytesToWords(data.features);
    // BOLT 11: a `9` field without any set bit is omitted.
    if (words.length > 0) parts.push(field(TAG.features, words));
  }
  for (const raw of data.extraFields ?? []) {
    if (!Number.isInteger(raw.type) || raw.type < 0 || raw.type > 31 || raw.words.some((w) => w > 31)) {
      throw new InvoiceError('invalid_field', 'a raw field has a 5-bit type and 5-bit words');
    }
    parts.push(field(raw.type, raw.words));
  }
  const dataWords = concatBytes(...parts);
  return { hrp, dataWords, signingHash: invoiceSigningHash(hrp, dataWords) };
}

/** The invoice string of prepared data and its signature (made low-S if it is not). */
export function assembleInvoice(unsigned: UnsignedInvoice, sig: InvoiceSignature): string {
  if (!(sig.signature instanceof Uint8Array) || sig.signature.length !== 64 || ![0, 1, 2, 3].includes(sig.recoveryId)) {
    throw new InvoiceError('invalid_signature', 'signature must be 64 bytes with a recovery id 0..3');
  }
  const low = toLowS(sig);
  const sigWords = bytesToWords(concatBytes(low.signature, Uint8Array.of(low.recoveryId)));
  return bech32Encode(unsigned.hrp, concatBytes(unsigned.dataWords, sigWords));
}

/**
 * Encodes and signs an invoice through a signing function (a NodeSigner's, or
 * {@link privateKeySigner}); waits for signers that answer asynchronously.
 */
export async function encodeInvoice(data: InvoiceData, sign: InvoiceSigner): Promise<string> {
  const unsigned = prepareInvoice(data);
  return assembleInvoice(unsigned, await sign(unsigned.signingHash));
}

/**
 * {@link encodeInvoice} for a signer that answers synchronously.
 * @throws InvoiceError `invalid_signature` if the signer returns a promise
 */
export function encodeInvoiceSync(data: InvoiceData, sign: InvoiceSigner): string {
  const unsigned = prepareInvoice(data);
  const sig = sign(unsigned.signingHash);
  if (sig instanceof Promise) throw new InvoiceError('invalid_signature', 'signer answered asynchronously; use encodeInvoice');
  return assembleInvoice(unsigned, sig);
}

/** A synchronous signer holding a private key (for tests, tools and single-key nodes). */
export function privateKeySigner(privateKey: Uint8Array, backend: Secp256k1Backend = defaultSecp256k1): InvoiceSigner {
  return (hash) => backend.ecdsaSignRecoverable(hash, privateKey);
}
