export { TxError, type TxErrorCode } from './errors.js';
export type { CommitmentFormat } from './channel-type.js';
export {
  type Tx,
  type TxInput,
  type TxOutput,
  SIGHASH_ALL,
  SIGHASH_SINGLE_ANYONECANPAY,
  encodeTx,
  encodeTxNoWitness,
  decodeTx,
  txidOf,
  txidHex,
  txWeight,
  segwitSighash,
  segwitSighashScure,
  legacySighash,
  withWitness,
} from './tx.js';
export { signSegwitInput, verifySegwitInput, witnessSignature, parseWitnessSignature } from './sign.js';
export {
  type ChannelBasepoints,
  type CommitmentKeys,
  perCommitmentPoint,
  derivePublicKey,
  derivePrivateKey,
  deriveRevocationPublicKey,
  deriveRevocationPrivateKey,
  deriveCommitmentKeys,
} from './keys.js';
export {
  MAX_SHACHAIN_INDEX,
  SHACHAIN_STORE_LENGTH,
  shachainFromSeed,
  commitmentNumberToIndex,
  perCommitmentSecret,
  CounterpartySecrets,
} from './shachain.js';
export { OP, type ScriptPart, script, op, pushData, scriptNumBytes } from './scripts/builder.js';
export { p2wsh, p2wpkh, p2pkh } from './scripts/outputs.js';
export { fundingScript, fundingKeyIsFirst } from './scripts/funding.js';
export { toLocalScript } from './scripts/to-local.js';
export { toRemoteAnchorsScript, toRemoteOutputScript } from './scripts/to-remote.js';
export { anchorScript } from './scripts/anchor.js';
export {
  type HtlcScriptKeys,
  offeredHtlcScript,
  receivedHtlcScript,
  offeredHtlcScriptFromHashes,
  receivedHtlcScriptFromHashes,
} from './scripts/htlc.js';
export { type ShutdownScriptFeatures, isValidShutdownScript } from './scripts/shutdown.js';
export { obscuringFactor, encodeObscuredCommitmentNumber, decodeObscuredCommitmentNumber } from './obscure.js';
export * from './weights.js';
export {
  type CommitmentHtlc,
  type CommitmentDescription,
  type CommitmentOutputKind,
  type CommitmentOutput,
  type BuiltCommitment,
  isHtlcTrimmed,
  buildCommitment,
  signCommitment,
  finalizeCommitment,
} from './commitment.js';
export {
  type HtlcTransaction,
  type HtlcTxParams,
  buildHtlcTx,
  buildHtlcTransactions,
  countersignatoryHtlcSighash,
  signHtlcAsCountersignatory,
  signHtlcAsBroadcaster,
  finalizeHtlcTx,
} from './htlc-tx.js';
export { fundingOutput, buildFundingTx, findFundingOutpoint } from './funding.js';
export { type ClosingParams, buildClosingTx, buildSimpleCloseTx, signClosingTx, finalizeClosingTx } from './closing.js';
export { commitmentNumberFromTx, tokenizeScript, matchHtlcScript, type HtlcScriptMatch, type HtlcSpend, classifyHtlcSpend } from './parse.js';
export {
  toLocalDelayedWitness,
  toLocalRevocationWitness,
  htlcRevocationWitness,
  offeredHtlcPreimageWitness,
  receivedHtlcTimeoutWitness,
  p2wpkhWitness,
  toRemoteAnchorsWitness,
  anchorWitness,
  type SweepInput,
  buildSweepTx,
} from './spends.js';
export {
  type InteractiveContribution,
  MIN_CONTRIBUTED_INPUT_WITNESS_WEIGHT,
  INTERACTIVE_TX_COMMON_WEIGHT,
  interactiveTxContributionWeight,
  interactiveTxContributionFee,
} from './dual-funding.js';
export {
  type BlockHeader,
  type BlockTransaction,
  type Block,
  BLOCK_HEADER_LENGTH,
  WITNESS_COMMITMENT_HEADER,
  encodeBlockHeader,
  decodeBlockHeader,
  blockHeaderHash,
  bitsToTarget,
  targetToBits,
  blockWork,
  meetsProofOfWork,
  merkleRoot,
  merkleBranch,
  merkleRootFromBranch,
  witnessCommitment,
  witnessCommitmentScript,
  checkBlockCommitments,
  encodeBlock,
  decodeBlock,
  txidOfRaw,
} from './block.js';
