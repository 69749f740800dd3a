export { Bech32Error, type Bech32ErrorCode, InvoiceError, type InvoiceErrorCode } from './errors.js';
export {
  bech32Decode,
  bech32Encode,
  bytesToWords,
  wordsToBytes,
  BECH32_CHECKSUM_LENGTH,
  type Bech32Decoded,
  type Bech32Options,
} from './bech32.js';
export type { InvoiceCurrency, InvoiceData, DecodedInvoice, InvoiceSignature, InvoiceSigner, RouteHintHop, Fallback, RawField } from './types.js';
export { parseHrpAmount, formatHrpAmount } from './amount.js';
export { networkOfCurrency, currencyOfNetwork } from './currency.js';
export { KNOWN_INVOICE_FEATURE_BITS, hasFeatureBit, featureBitsSet, featuresFromBits, unknownRequiredFeatureBits } from './features.js';
export { TAG } from './tags.js';
export { invoiceSigningHash, isHighS } from './signing.js';
export { decodeInvoice, type DecodeInvoiceOptions } from './decode.js';
export { prepareInvoice, assembleInvoice, encodeInvoice, encodeInvoiceSync, privateKeySigner, type UnsignedInvoice } from './encode.js';
export {
  DEFAULT_EXPIRY_SECONDS,
  DEFAULT_MIN_FINAL_CLTV_EXPIRY_DELTA,
  invoiceExpirySeconds,
  invoiceExpiresAt,
  isInvoiceExpired,
  secondsUntilExpiry,
  invoiceMinFinalCltvExpiryDelta,
} from './expiry.js';
export { bolt12MerkleRoot, bolt12SignatureTag, bolt12SignatureHash, isSignatureTlvType } from './bolt12-merkle.js';
export { descriptionMatches, missingInvoiceFeatureDependencies } from './payer-checks.js';
