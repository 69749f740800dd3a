import type { ChannelMonitorUpdate, CounterpartyCommitment, HolderCommitment, NewChannelMonitor } from 'ln-chain-api';
import type { Secp256k1Backend } from 'ln-crypto';
import type { ChannelParameters } from 'ln-signer-api';
import { equalBytes } from 'ln-types';
import { CounterpartySecrets, MAX_SHACHAIN_INDEX, TxError, commitmentNumberToIndex, perCommitmentPoint, txidOf } from 'ln-tx';
import { MonitorError } from '../errors.js';
import { buildOrRefuse, verifyHolderSignatures } from './commitments.js';
import type { HolderCommitmentRecord, MonitorState } from './state.js';

// Every check a monitor makes before it accepts data from ChannelManager. A
// check either passes or throws a MonitorError; nothing here changes the
// monitor, so a refused update leaves it exactly as it was. What the checks
// computed (txids, the secrets store with the new secret) is handed to
// apply-update.ts, which cannot fail.

/** A step checked and ready to apply. */
export type PreparedStep =
  | { readonly kind: 'holder'; readonly record: HolderCommitmentRecord }
  | { readonly kind: 'counterparty'; readonly commitment: CounterpartyCommitment }
  | { readonly kind: 'preimage'; readonly preimage: Uint8Array }
  | { readonly kind: 'secret'; readonly commitmentNumber: bigint; readonly secrets: CounterpartySecrets }
  | { readonly kind: 'force_close'; readonly shouldBroadcast: boolean }
  | { readonly kind: 'shutdown'; readonly script: Uint8Array };

/** The largest script we store (a generous bound: BOLT 2 shutdown scripts are at most 42 bytes). */
const MAX_SCRIPT_LENGTH = 10_000;

/** The counterparty commitment number whose secret comes next. */
export function nextSecretNumber(secrets: CounterpartySecrets): bigint {
  return MAX_SHACHAIN_INDEX - secrets.nextIndex;
}

/** True if the secret of counterparty commitment `n` is known. */
export function secretKnown(secrets: CounterpartySecrets, n: bigint): boolean {
  return n >= 0n && n < nextSecretNumber(secrets);
}

function checkScript(script: Uint8Array, what: string): void {
  if (!(script instanceof Uint8Array) || script.length === 0 || script.length > MAX_SCRIPT_LENGTH) throw new MonitorError('malformed', `${what}: bad script`);
}

function checkParameters(p: ChannelParameters, backend: Secp256k1Backend): void {
  for (const side of [p.holderPubkeys, p.counterpartyPubkeys]) {
    for (const key of [side.fundingPubkey, side.revocationBasepoint, side.paymentBasepoint, side.delayedPaymentBasepoint, side.htlcBasepoint]) {
      if (key.length !== 33 || !backend.isValidPublicKey(key)) throw new MonitorError('malformed', 'channel parameters hold an invalid public key');
    }
  }
  for (const d of [p.holderSelectedContestDelay, p.counterpartySelectedContestDelay]) {
    if (!Number.isInteger(d) || d < 0 || d > 0xffff) throw new MonitorError('malformed', 'contest delay is not a u16');
  }
  if (p.fundingAmountSat <= 0n || p.fundingAmountSat > 21_000_000n * 100_000_000n) throw new MonitorError('malformed', 'funding amount out of range');
  if (p.holderDustLimitSat < 0n || p.counterpartyDustLimitSat < 0n) throw new MonitorError('malformed', 'negative dust limit');
  if (p.fundingOutpoint.txid.length !== 32 || !Number.isInteger(p.fundingOutpoint.index) || p.fundingOutpoint.index < 0 || p.fundingOutpoint.index > 0xffff) {
    throw new MonitorError('malformed', 'bad funding outpoint');
  }
}

/** Checks a holder commitment (signatures included) and computes its txid. */
export function prepareHolder(params: ChannelParameters, commitment: HolderCommitment, backend: Secp256k1Backend): HolderCommitmentRecord {
  const built = buildOrRefuse(params, commitment.data, true, backend);
  verifyHolderSignatures(params, commitment, built, backend);
  return { commitment, txid: txidOf(built.tx) };
}

/** Checks that a counterparty commitment's data builds the transaction its txid names. */
export function checkCounterparty(params: ChannelParameters, commitment: CounterpartyCommitment, backend: Secp256k1Backend): void {
  const built = buildOrRefuse(params, commitment.data, false, backend);
  if (!equalBytes(txidOf(built.tx), commitment.txid)) {
    throw new MonitorError('inconsistent', `counterparty commitment ${commitment.data.commitmentNumber}: its data builds another transaction than its txid says`);
  }
}

/**
 * Checks what a new monitor starts from.
 * @throws MonitorError
 */
export function validateNewMonitor(init: NewChannelMonitor, backend: Secp256k1Backend): HolderCommitmentRecord {
  if (init.channelId.length !== 32) throw new MonitorError('malformed', 'channel id must be 32 bytes');
  if (init.counterpartyNodeId.length !== 33 || !backend.isValidPublicKey(init.counterpartyNodeId)) throw new MonitorError('malformed', 'bad counterparty node id');
  if (init.channelKeysId.length === 0 || init.channelKeysId.length > 1024) throw new MonitorError('malformed', 'bad channel keys id');
  checkParameters(init.parameters, backend);
  checkScript(init.destinationScript, 'destination');
  if (init.shutdownScript !== undefined) checkScript(init.shutdownScript, 'shutdown');
  if (!Number.isInteger(init.bestBlock.height) || init.bestBlock.height < 0 || init.bestBlock.blockHash.length !== 32) throw new MonitorError('malformed', 'bad best block');
  checkCounterparty(init.parameters, init.counterpartyCommitment, backend);
  return prepareHolder(init.parameters, init.holderCommitment, backend);
}

/** True once the monitor takes no more commitments: closed by ChannelManager, by us, or on chain. */
export function isClosed(state: MonitorState): boolean {
  return state.closedByManager || state.holderBroadcast !== undefined || state.fundingSpend !== undefined;
}

/**
 * Checks an update against the monitor, step by step as if the earlier steps of
 * the same update were applied, without changing anything.
 * @throws MonitorError
 */
export function prepareUpdate(state: MonitorState, update: ChannelMonitorUpdate, backend: Secp256k1Backend): PreparedStep[] {
  if (!equalBytes(update.channelId, state.channelId)) throw new MonitorError('inconsistent', 'update for another channel');
  if (update.updateId !== state.latestUpdateId + 1n) {
    throw new MonitorError('out_of_order', `update ${update.updateId} does not follow ${state.latestUpdateId}`);
  }
  const params = state.parameters;
  let holderNumber = state.holderCurrent.commitment.data.commitmentNumber;
  let current = state.counterpartyCurrent;
  let previous = state.counterpartyPrevious;
  let secrets = state.secrets;
  let secretsCopied = false;
  let closed = isClosed(state);
  const prepared: PreparedStep[] = [];
  for (const step of update.steps) {
    switch (step.kind) {
      case 'latest_holder_commitment': {
        if (closed) throw new MonitorError('channel_closed', 'the channel is closed: no new holder commitment');
        const n = step.commitment.data.commitmentNumber;
        if (n !== holderNumber + 1n) throw new MonitorError('out_of_order', `holder commitment ${n} does not follow ${holderNumber}`);
        prepared.push({ kind: 'holder', record: prepareHolder(params, step.commitment, backend) });
        holderNumber = n;
        break;
      }
      case 'latest_counterparty_commitment': {
        if (closed) throw new MonitorError('channel_closed', 'the channel is closed: no new counterparty commitment');
        const n = step.commitment.data.commitmentNumber;
        if (n !== current.data.commitmentNumber + 1n) throw new MonitorError('out_of_order', `counterparty commitment ${n} does not follow ${current.data.commitmentNumber}`);
        // BOLT 2: the commitment before the current one is revoked before a new one is signed.
        if (n >= 2n && !secretKnown(secrets, n - 2n)) throw new MonitorError('out_of_order', `counterparty commitment ${n - 2n} is not revoked yet`);
        checkCounterparty(params, step.commitment, backend);
        prepared.push({ kind: 'counterparty', commitment: step.commitment });
        previous = current;
        current = step.commitment;
        break;
      }
      case 'payment_preimage':
        if (!(step.preimage instanceof Uint8Array) || step.preimage.length !== 32) throw new MonitorError('malformed', 'preimage must be 32 bytes');
        prepared.push({ kind: 'preimage', preimage: step.preimage });
        break;
      case 'commitment_secret': {
        const n = step.commitmentNumber;
        if (!(step.secret instanceof Uint8Array) || step.secret.length !== 32) throw new MonitorError('malformed', 'secret must be 32 bytes');
        const expected = nextSecretNumber(secrets);
        if (n !== expected) throw new MonitorError('out_of_order', `secret of commitment ${n} where ${expected} was expected`);
        if (previous === undefined || previous.data.commitmentNumber !== n) throw new MonitorError('out_of_order', `commitment ${n} is not the previous counterparty commitment`);
        let point: Uint8Array;
        try {
          point = perCommitmentPoint(step.secret, backend);
        } catch (cause) {
          throw new MonitorError('malformed', 'the secret is not a valid private key', { cause });
        }
        if (!equalBytes(point, previous.data.perCommitmentPoint)) throw new MonitorError('inconsistent', `secret does not match counterparty commitment ${n}`);
        if (!secretsCopied) {
          secrets = CounterpartySecrets.deserialize(secrets.serialize());
          secretsCopied = true;
        }
        try {
          secrets.insert(step.secret, commitmentNumberToIndex(n));
        } catch (cause) {
          if (cause instanceof TxError) throw new MonitorError('inconsistent', `secret ${n} does not derive the earlier secrets: ${cause.message}`, { cause });
          throw cause;
        }
        prepared.push({ kind: 'secret', commitmentNumber: n, secrets });
        break;
      }
      case 'channel_force_closed':
        prepared.push({ kind: 'force_close', shouldBroadcast: step.shouldBroadcast === true });
        closed = true;
        break;
      case 'shutdown_script':
        checkScript(step.script, 'shutdown');
        prepared.push({ kind: 'shutdown', script: step.script });
        break;
      default:
        throw new MonitorError('malformed', 'unknown update step');
    }
  }
  return prepared;
}
