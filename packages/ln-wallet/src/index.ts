export { WalletError, type WalletErrorCode } from './errors.js';
export { type NetworkParams, NETWORK_PARAMS } from './network.js';
export { addressToScript, scriptToAddress } from './address.js';
export { type ScriptKind, classifyScript, dustLimit, outputWeight, p2wpkhScript, witnessProgram } from './scripts.js';
export { type WalletSeed, type KeyChain, AccountKeys, seedBytes } from './keys.js';
export { type ScriptPosition, Keychain } from './keychain.js';
export { INPUT_BASE_WEIGHT, P2WPKH_INPUT_WEIGHT, P2WPKH_SATISFACTION_WEIGHT, feeForWeightCeil, transactionBaseWeight } from './fees.js';
export { type CoinCandidate, type SelectionRequest, type Selection, selectCoins } from './coin-selection.js';
export { type TxOrigin, type TxStatus, isCoinbase } from './tx-graph.js';
export {
  type WalletState,
  type StoredTx,
  type StoredReservation,
  type TipRecord,
  encodeWalletState,
  decodeWalletState,
  encodeTipRecord,
  decodeTipRecord,
} from './state-codec.js';
export { RBF_SEQUENCE, buildUnsignedTx } from './tx-builder.js';
export { type PaymentOutput, INCREMENTAL_RELAY_FEERATE_PER_KW } from './spend.js';
export { type UtxoStatus, type WalletUtxo, type WalletBalances, COINBASE_MATURITY_CONFIRMATIONS } from './wallet-core.js';
export {
  type WalletConfig,
  type SpendOptions,
  type WalletTransactionResult,
  type FundingTransactionResult,
  type WalletTransaction,
  Wallet,
} from './wallet.js';
