// Our side of feature and fee policy: the init features ChannelManager asks the
// PeerManager to announce, and the fee-rate bounds we hold a peer's proposals to.

import { featuresFromBits } from 'ln-wire';
import type { UserConfig } from '../config.js';
import { MAX_REMOTE_FEERATE_MULTIPLIER } from '../channel/constants.js';
import type { RemoteFeeBounds } from '../channel/fee-updates.js';
import type { ManagerCore } from './core.js';

/**
 * Init features of the channel handler (as LDK's provided_init_features):
 * option_data_loss_protect (required), option_upfront_shutdown_script,
 * var_onion_optin (required), option_static_remotekey (required),
 * payment_secret (required), basic_mpp, option_anchors (when configured),
 * option_shutdown_anysegwit, option_channel_type, option_scid_alias,
 * option_zeroconf.
 */
export function ourInitFeatures(config: UserConfig): Uint8Array {
  const bits = [0, 5, 8, 12, 14, 17, 27, 45, 47, 51];
  if (config.channelHandshakeConfig.negotiateAnchorsZeroFeeHtlcTx) bits.push(23);
  return featuresFromBits(bits);
}

/**
 * The fee rates we accept from a peer (open_channel, update_fee): at least the
 * `min_allowed_*_remote_fee` estimate, at most `MAX_REMOTE_FEERATE_MULTIPLIER` x
 * `maximum_fee_estimate` (BOLT 2: neither too low for timely processing nor
 * unreasonably large).
 */
export function feeBounds(core: ManagerCore, format: 'anchors' | 'static_remotekey'): RemoteFeeBounds {
  const minTarget = format === 'static_remotekey' ? 'min_allowed_non_anchor_channel_remote_fee' : 'min_allowed_anchor_channel_remote_fee';
  const maxEstimate = core.feerate('maximum_fee_estimate');
  return {
    minimum: core.feerate(minTarget),
    maximum: Math.max(maxEstimate * MAX_REMOTE_FEERATE_MULTIPLIER, 10_000),
    limitingFeerate: maxEstimate,
  };
}
