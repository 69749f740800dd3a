/**
 * The commitment format: `static_remotekey` (option_static_remotekey, Appendix C)
 * or `anchors` (option_anchors with zero-fee HTLC transactions, Appendix F).
 */
export type CommitmentFormat = 'static_remotekey' | 'anchors';
