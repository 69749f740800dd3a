import { concatBytes, compareBytes, utf8ToBytes } from 'ln-types';
import { sha256, taggedHash } from 'ln-crypto';
import { encodeBigSize, Reader, readTlvRecords, WireError, type TlvRecord } from 'ln-wire';
import { InvoiceError } from './errors.js';

// BOLT 12 "Signature Calculation": the Merkle root of a TLV stream and the
// tagged hash that is signed. Kept here, beside bech32.ts, for the offers
// module to use (offers, invoice requests and BOLT 12 invoices all sign this way).

/** TLV types 240 to 1000 are signature elements: they are not part of the Merkle tree. */
export function isSignatureTlvType(type: bigint): boolean {
  return type >= 240n && type <= 1000n;
}

function tlvBytes(record: TlvRecord): Uint8Array {
  return concatBytes(encodeBigSize(record.type), encodeBigSize(record.value.length), record.value);
}

const LN_LEAF = sha256(utf8ToBytes('LnLeaf'));
const LN_BRANCH = sha256(utf8ToBytes('LnBranch'));

function tagged(tagHash: Uint8Array, msg: Uint8Array): Uint8Array {
  return sha256(concatBytes(tagHash, tagHash, msg));
}

/** H("LnBranch", lesser || greater). */
function branch(a: Uint8Array, b: Uint8Array): Uint8Array {
  return compareBytes(a, b) <= 0 ? tagged(LN_BRANCH, concatBytes(a, b)) : tagged(LN_BRANCH, concatBytes(b, a));
}

/**
 * The Merkle root of TLV records (ascending types; signature elements 240..1000
 * are skipped): each record's leaf H("LnLeaf", tlv) paired with its nonce leaf
 * H("LnNonce" || first-tlv, type), then pairs combined level by level, an odd
 * last node carried up unchanged (so the deepest part of the tree holds the
 * lowest-order records).
 * @throws InvoiceError `invalid_field` for an empty stream
 */
export function bolt12MerkleRoot(records: readonly TlvRecord[]): Uint8Array {
  const included = records.filter((r) => !isSignatureTlvType(r.type));
  if (included.length === 0) throw new InvoiceError('invalid_field', 'a BOLT 12 Merkle tree needs at least one TLV record');
  const nonceTag = sha256(concatBytes(utf8ToBytes('LnNonce'), tlvBytes(included[0]!)));
  let level = included.map((r) => branch(tagged(LN_LEAF, tlvBytes(r)), tagged(nonceTag, encodeBigSize(r.type))));
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(i + 1 < level.length ? branch(level[i]!, level[i + 1]!) : level[i]!);
    level = next;
  }
  return level[0]!;
}

/** The BIP 340 tag of a BOLT 12 signature: "lightning" || message name || field name. */
export function bolt12SignatureTag(messageName: string, fieldName = 'signature'): string {
  return `lightning${messageName}${fieldName}`;
}

/**
 * The 32-byte message a BOLT 12 signature signs: H(tag, merkle root) over the
 * TLV stream's bytes (e.g. messageName "invoice_request" or "invoice").
 * @throws InvoiceError `invalid_field` for a malformed TLV stream
 */
export function bolt12SignatureHash(tlvStream: Uint8Array, messageName: string, fieldName = 'signature'): Uint8Array {
  let records: TlvRecord[];
  try {
    records = readTlvRecords(new Reader(tlvStream), messageName);
  } catch (cause) {
    if (cause instanceof WireError) throw new InvoiceError('invalid_field', `malformed TLV stream: ${cause.message}`, { cause });
    throw cause;
  }
  return taggedHash(bolt12SignatureTag(messageName, fieldName), bolt12MerkleRoot(records));
}
