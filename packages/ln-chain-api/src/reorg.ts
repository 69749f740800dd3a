/**
 * Confirmations after which a transaction is treated as final: a claim is
 * forgotten, an output reported spendable, only once it is this deep
 * (LDK's ANTI_REORG_DELAY). Shallower, a reorganization may still undo it.
 */
export const ANTI_REORG_DELAY = 6;
