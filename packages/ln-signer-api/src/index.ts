export { SignerError, type SignerErrorCode } from './errors.js';
export type { EntropySource } from './entropy.js';
export type { NodeSigner, Recipient, UnsignedGossipMessage, UnsignedInvoice } from './node-signer.js';
export { type ChannelParameters, type CommitmentData, describeCommitment } from './channel-parameters.js';
export type { ChannelSigner, CounterpartyCommitmentSignatures, InputToSign } from './channel-signer.js';
export type { SignerProvider } from './signer-provider.js';
