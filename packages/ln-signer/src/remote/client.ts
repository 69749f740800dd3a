import type { ChannelBasepoints, HtlcTransaction, Tx } from 'ln-tx';
import {
  type ChannelParameters,
  type ChannelSigner,
  type CommitmentData,
  type CounterpartyCommitmentSignatures,
  type InputToSign,
  SignerError,
  type SignerErrorCode,
} from 'ln-signer-api';
import { type MessagePortLike, type RemoteMethod, isResponse } from './port.js';

const CODES: readonly SignerErrorCode[] = ['policy', 'invalid_signature', 'invalid_input', 'unknown_commitment', 'unavailable'];

interface Pending {
  resolve(value: unknown): void;
  reject(err: unknown): void;
}

class Connection {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  constructor(private readonly port: MessagePortLike) {
    port.addEventListener('message', (event) => {
      const res = event.data;
      if (!isResponse(res)) return;
      const p = this.pending.get(res.id);
      if (p === undefined) return;
      this.pending.delete(res.id);
      if (res.ok) p.resolve(res.value);
      else p.reject(new SignerError(CODES.includes(res.code as SignerErrorCode) ? (res.code as SignerErrorCode) : 'unavailable', res.message));
    });
    port.start?.();
  }
  call<T>(method: RemoteMethod | 'describe', args: unknown[]): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.port.postMessage({ id, method, args });
    });
  }
}

/**
 * A ChannelSigner whose keys live on the other side of a message port (see
 * {@link serveChannelSigner}). Every call is answered asynchronously; refusals
 * arrive as SignerError with the remote code. Create it with {@link RemoteChannelSigner.connect}.
 */
export class RemoteChannelSigner implements ChannelSigner {
  /** Settles when the channel parameters were accepted; a refusal there fails every later call. */
  private ready: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly conn: Connection,
    readonly channelKeysId: Uint8Array,
    readonly pubkeys: ChannelBasepoints,
  ) {}

  /** Connects over `port` and fetches the signer's keys id and public keys. */
  static async connect(port: MessagePortLike): Promise<RemoteChannelSigner> {
    const conn = new Connection(port);
    const d = await conn.call<{ channelKeysId: Uint8Array; pubkeys: ChannelBasepoints }>('describe', []);
    return new RemoteChannelSigner(conn, d.channelKeysId, d.pubkeys);
  }

  provideChannelParameters(params: ChannelParameters): void {
    // The contract's call is synchronous; the remote answer is awaited by every later call.
    const result = this.conn.call('provideChannelParameters', [params]);
    result.catch(() => undefined); // observed through `ready`, not unhandled
    this.ready = result;
  }

  private call<T>(method: RemoteMethod, args: unknown[]): Promise<T> {
    return this.ready.then(() => this.conn.call<T>(method, args));
  }
  getPerCommitmentPoint(n: bigint): Promise<Uint8Array> {
    return this.call('getPerCommitmentPoint', [n]);
  }
  releaseCommitmentSecret(n: bigint): Promise<Uint8Array> {
    return this.call('releaseCommitmentSecret', [n]);
  }
  validateHolderCommitment(data: CommitmentData, sig: Uint8Array, htlcSigs: readonly Uint8Array[]): Promise<void> {
    return this.call('validateHolderCommitment', [data, sig, htlcSigs]);
  }
  validateCounterpartyRevocation(n: bigint, secret: Uint8Array): Promise<void> {
    return this.call('validateCounterpartyRevocation', [n, secret]);
  }
  signCounterpartyCommitment(data: CommitmentData): Promise<CounterpartyCommitmentSignatures> {
    return this.call('signCounterpartyCommitment', [data]);
  }
  signHolderCommitment(data: CommitmentData): Promise<Uint8Array> {
    return this.call('signHolderCommitment', [data]);
  }
  signHolderHtlcTransaction(htlc: HtlcTransaction, n: bigint, inputIndex?: number): Promise<Uint8Array> {
    return this.call('signHolderHtlcTransaction', inputIndex === undefined ? [htlc, n] : [htlc, n, inputIndex]);
  }
  signHolderDelayedOutput(input: InputToSign, n: bigint): Promise<Uint8Array> {
    return this.call('signHolderDelayedOutput', [input, n]);
  }
  signJusticeRevokedOutput(input: InputToSign, secret: Uint8Array): Promise<Uint8Array> {
    return this.call('signJusticeRevokedOutput', [input, secret]);
  }
  signJusticeRevokedHtlc(input: InputToSign, secret: Uint8Array): Promise<Uint8Array> {
    return this.call('signJusticeRevokedHtlc', [input, secret]);
  }
  signCounterpartyHtlcClaim(input: InputToSign, point: Uint8Array): Promise<Uint8Array> {
    return this.call('signCounterpartyHtlcClaim', [input, point]);
  }
  signCounterpartyPaymentOutput(input: InputToSign): Promise<Uint8Array> {
    return this.call('signCounterpartyPaymentOutput', [input]);
  }
  signClosingTransaction(tx: Tx): Promise<Uint8Array> {
    return this.call('signClosingTransaction', [tx]);
  }
  signHolderAnchorInput(tx: Tx, inputIndex: number): Promise<Uint8Array> {
    return this.call('signHolderAnchorInput', [tx, inputIndex]);
  }
  signChannelAnnouncementWithFundingKey(signedPart: Uint8Array): Promise<Uint8Array> {
    return this.call('signChannelAnnouncementWithFundingKey', [signedPart]);
  }
}
