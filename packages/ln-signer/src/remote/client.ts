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
    // Fire-and-forget: the port keeps order, so it lands before any later call.
    void this.conn.call('provideChannelParameters', [params]).catch(() => undefined);
  }
  getPerCommitmentPoint(n: bigint): Promise<Uint8Array> {
    return this.conn.call('getPerCommitmentPoint', [n]);
  }
  releaseCommitmentSecret(n: bigint): Promise<Uint8Array> {
    return this.conn.call('releaseCommitmentSecret', [n]);
  }
  validateHolderCommitment(data: CommitmentData, sig: Uint8Array, htlcSigs: readonly Uint8Array[]): Promise<void> {
    return this.conn.call('validateHolderCommitment', [data, sig, htlcSigs]);
  }
  validateCounterpartyRevocation(n: bigint, secret: Uint8Array): Promise<void> {
    return this.conn.call('validateCounterpartyRevocation', [n, secret]);
  }
  signCounterpartyCommitment(data: CommitmentData): Promise<CounterpartyCommitmentSignatures> {
    return this.conn.call('signCounterpartyCommitment', [data]);
  }
  signHolderCommitment(data: CommitmentData): Promise<Uint8Array> {
    return this.conn.call('signHolderCommitment', [data]);
  }
  signHolderHtlcTransaction(htlc: HtlcTransaction, n: bigint): Promise<Uint8Array> {
    return this.conn.call('signHolderHtlcTransaction', [htlc, n]);
  }
  signHolderDelayedOutput(input: InputToSign, n: bigint): Promise<Uint8Array> {
    return this.conn.call('signHolderDelayedOutput', [input, n]);
  }
  signJusticeRevokedOutput(input: InputToSign, secret: Uint8Array): Promise<Uint8Array> {
    return this.conn.call('signJusticeRevokedOutput', [input, secret]);
  }
  signJusticeRevokedHtlc(input: InputToSign, secret: Uint8Array): Promise<Uint8Array> {
    return this.conn.call('signJusticeRevokedHtlc', [input, secret]);
  }
  signCounterpartyHtlcClaim(input: InputToSign, point: Uint8Array): Promise<Uint8Array> {
    return this.conn.call('signCounterpartyHtlcClaim', [input, point]);
  }
  signCounterpartyPaymentOutput(input: InputToSign): Promise<Uint8Array> {
    return this.conn.call('signCounterpartyPaymentOutput', [input]);
  }
  signClosingTransaction(tx: Tx): Promise<Uint8Array> {
    return this.conn.call('signClosingTransaction', [tx]);
  }
  signHolderAnchorInput(tx: Tx, inputIndex: number): Promise<Uint8Array> {
    return this.conn.call('signHolderAnchorInput', [tx, inputIndex]);
  }
  signChannelAnnouncementWithFundingKey(signedPart: Uint8Array): Promise<Uint8Array> {
    return this.conn.call('signChannelAnnouncementWithFundingKey', [signedPart]);
  }
}
