import type { ChannelSigner } from './channel-signer.js';

/** Makes channel signers and the scripts funds are swept to (LDK's SignerProvider). */
export interface SignerProvider<S extends ChannelSigner = ChannelSigner> {
  /** A fresh 32-byte id for a new channel's keys (deterministic implementations may derive it). */
  generateChannelKeysId(inbound: boolean, userChannelId: bigint): Uint8Array;
  /** The signer of a channel, rebuilt from its keys id (the same id always gives the same keys). */
  deriveChannelSigner(channelValueSat: bigint, channelKeysId: Uint8Array): S;
  /** A script to sweep a channel's on-chain funds to. */
  getDestinationScript(channelKeysId: Uint8Array): Promise<Uint8Array>;
  /** A shutdown script for mutual closes (valid under BOLT 2's rules). */
  getShutdownScript(): Promise<Uint8Array>;
}
