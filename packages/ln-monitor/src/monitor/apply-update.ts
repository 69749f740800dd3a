import { sha256 } from 'ln-crypto';
import { toHex } from 'ln-types';
import type { PreparedStep } from './validate-update.js';
import type { HolderCommitmentRecord, MonitorState } from './state.js';

/** What applying an update changed that the monitor must act on. */
export interface UpdateEffects {
  /** New holder commitments, oldest first: the signer validates each. */
  readonly holderCommitments: HolderCommitmentRecord[];
  /** A preimage arrived: claims may become possible. */
  preimageAdded: boolean;
  /** A secret arrived: a counterparty commitment on chain may now be revoked. */
  secretAdded: boolean;
  /** The monitor must broadcast our commitment. */
  broadcastRequested: boolean;
}

/** Applies checked steps (see validate-update.ts); cannot fail. */
export function applyPrepared(state: MonitorState, updateId: bigint, steps: readonly PreparedStep[]): UpdateEffects {
  const effects: UpdateEffects = { holderCommitments: [], preimageAdded: false, secretAdded: false, broadcastRequested: false };
  for (const step of steps) {
    switch (step.kind) {
      case 'holder':
        state.holderPrevious = state.holderCurrent;
        state.holderCurrent = step.record;
        effects.holderCommitments.push(step.record);
        break;
      case 'counterparty': {
        const old = state.counterpartyPrevious;
        if (old !== undefined && old.data.htlcs.length > 0) {
          state.counterpartyPast.set(toHex(old.txid), { txid: old.txid, commitmentNumber: old.data.commitmentNumber, htlcs: old.data.htlcs });
        }
        state.counterpartyPrevious = state.counterpartyCurrent;
        state.counterpartyCurrent = step.commitment;
        break;
      }
      case 'preimage': {
        const key = toHex(sha256(step.preimage));
        if (!state.preimages.has(key)) {
          state.preimages.set(key, step.preimage.slice());
          effects.preimageAdded = true;
        }
        break;
      }
      case 'secret':
        state.secrets = step.secrets;
        effects.secretAdded = true;
        break;
      case 'force_close':
        state.closedByManager = true;
        if (step.shouldBroadcast && state.fundingSpend === undefined && state.holderBroadcast === undefined) {
          state.holderBroadcast = 'force closed by ChannelManager';
          effects.broadcastRequested = true;
        }
        break;
      case 'shutdown':
        state.shutdownScript = step.script;
        break;
    }
  }
  state.latestUpdateId = updateId;
  return effects;
}
