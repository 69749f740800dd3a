export { type TxOut, type UtxoLookup, type UtxoLookupError, type UtxoResult, utxoFound, utxoMissing } from './utxo-lookup.js';
