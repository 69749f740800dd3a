import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { Transaction } from '@scure/btc-signer';
import { CURVE_ORDER, hash160, publicKeyFromPrivate, signatureFromDer, signatureToDer } from 'ln-crypto';
import { concatBytes, fromHex } from 'ln-types';
import {
  MANDATORY_SCRIPT_FLAGS,
  STANDARD_SCRIPT_FLAGS,
  ScriptVerifyError,
  TransactionScripts,
  checkSpend,
  scriptErrorFromBitcore,
  verifyInput,
} from '../src/index.js';

interface KeyPathVectors {
  utxosSpent: { scriptPubKey: string; amountSats: number }[];
  keyPathInputs: { txinIndex: number; hashType: number; witness: string[] }[];
  fullySignedTx: string;
}
const vectors = JSON.parse(readFileSync(new URL('./fixtures/bip341-key-path-spending.json', import.meta.url), 'utf8')) as KeyPathVectors;

const spentOutputs = vectors.utxosSpent.map((u) => ({ script: fromHex(u.scriptPubKey), amount: BigInt(u.amountSats) }));
const signedTx = fromHex(vectors.fullySignedTx);

describe('BIP 341 key-path spending vectors', () => {
  it('accepts every input of the fully signed transaction with the standard flags', () => {
    const scripts = new TransactionScripts(signedTx, spentOutputs);
    for (let i = 0; i < scripts.inputCount; i++) expect(scripts.verifyInput(i, STANDARD_SCRIPT_FLAGS)).toEqual({ ok: true });
  });

  it('refuses each key-path signature with one bit flipped', () => {
    for (const input of vectors.keyPathInputs) {
      const sigHex = input.witness[0]!;
      const at = vectors.fullySignedTx.indexOf(sigHex);
      const bad = fromHex(vectors.fullySignedTx);
      bad[at / 2 + 10]! ^= 1;
      const verdict = verifyInput(bad, input.txinIndex, spentOutputs, STANDARD_SCRIPT_FLAGS);
      expect(verdict).toEqual({ ok: false, error: 'SCRIPT_ERR_SCHNORR_SIG', message: 'Invalid Schnorr signature', mandatory: true });
    }
  });

  it('commits to every spent amount except under ANYONECANPAY', () => {
    const changed = spentOutputs.map((o, i) => (i === 5 ? { ...o, amount: o.amount + 1n } : o));
    const scripts = new TransactionScripts(signedTx, changed);
    for (const input of vectors.keyPathInputs) {
      const anyoneCanPay = (input.hashType & 0x80) !== 0;
      expect(scripts.verifyInput(input.txinIndex, STANDARD_SCRIPT_FLAGS).ok).toBe(anyoneCanPay);
    }
  });
});

const key = fromHex('11'.repeat(32));
const pub = publicKeyFromPrivate(key);
const prevScript = concatBytes(Uint8Array.of(0x00, 0x14), hash160(pub));
const amount = 100_000n;
const prevTxid = new Uint8Array(32).fill(7);

/** A one-input P2WPKH spend signed by @scure/btc-signer (an implementation independent of bitcore). */
function signedSpend(): { raw: Uint8Array; witness: Uint8Array[] } {
  const tx = new Transaction({ version: 2 });
  tx.addInput({ txid: prevTxid, index: 0, sequence: 0xfffffffd, witnessUtxo: { script: prevScript, amount } });
  tx.addOutput({ script: prevScript, amount: amount - 500n });
  tx.signIdx(key, 0);
  tx.finalizeIdx(0);
  return { raw: tx.extract(), witness: tx.getInput(0).finalScriptWitness! };
}

/** The same transaction with its witness replaced. */
function withWitnessItems(raw: Uint8Array, witness: readonly Uint8Array[]): Uint8Array {
  const tx = Transaction.fromRaw(raw, { allowUnknownOutputs: true });
  tx.updateInput(0, { finalScriptWitness: [...witness] }, true);
  return tx.toBytes(true, true);
}

function highS(derWithHashType: Uint8Array): Uint8Array {
  const compact = signatureFromDer(derWithHashType.subarray(0, derWithHashType.length - 1));
  let s = 0n;
  for (const b of compact.subarray(32)) s = (s << 8n) | BigInt(b);
  const flipped = CURVE_ORDER - s;
  const out = Uint8Array.from(compact);
  for (let i = 63, v = flipped; i >= 32; i--, v >>= 8n) out[i] = Number(v & 0xffn);
  return concatBytes(signatureToDer(out), Uint8Array.of(1));
}

describe('P2WPKH spends', () => {
  const { raw, witness } = signedSpend();

  it('accepts a correct signature', () => {
    expect(verifyInput(raw, 0, [{ script: prevScript, amount }], STANDARD_SCRIPT_FLAGS)).toEqual({ ok: true });
  });

  it('refuses a signature for another amount as a consensus failure (NULLFAIL first, as bitcoind reports it)', () => {
    const verdict = verifyInput(raw, 0, [{ script: prevScript, amount: amount + 1n }], STANDARD_SCRIPT_FLAGS);
    expect(verdict).toEqual({ ok: false, error: 'SCRIPT_ERR_SIG_NULLFAIL', message: 'Signature must be zero for failed CHECK(MULTI)SIG operation', mandatory: true });
    expect(verifyInput(raw, 0, [{ script: prevScript, amount: amount + 1n }], MANDATORY_SCRIPT_FLAGS)).toMatchObject({ ok: false, error: 'SCRIPT_ERR_EVAL_FALSE' });
  });

  it('refuses a high-S signature as policy only', () => {
    const bad = withWitnessItems(raw, [highS(witness[0]!), witness[1]!]);
    const verdict = verifyInput(bad, 0, [{ script: prevScript, amount }], STANDARD_SCRIPT_FLAGS);
    expect(verdict).toEqual({ ok: false, error: 'SCRIPT_ERR_SIG_HIGH_S', message: 'Non-canonical signature: S value is unnecessarily high', mandatory: false });
  });

  it('refuses a missing witness', () => {
    const bare = Transaction.fromRaw(raw, { allowUnknownOutputs: true }).toBytes(true, false);
    expect(verifyInput(bare, 0, [{ script: prevScript, amount }], STANDARD_SCRIPT_FLAGS)).toMatchObject({ ok: false, error: 'SCRIPT_ERR_WITNESS_PROGRAM_MISMATCH', mandatory: true });
  });

  it('keeps the test harness shape of tools/script-check', () => {
    expect(checkSpend({ tx: raw, index: 0, witness, prevScript, amountSat: amount })).toEqual({ ok: true, error: '' });
    expect(checkSpend({ tx: raw, index: 0, witness, prevScript, amountSat: amount + 1n }).ok).toBe(false);
  });
});

/** A one-input, one-output version 2 transaction without witness, with this scriptSig. */
function legacySpend(scriptSig: Uint8Array): Uint8Array {
  const output = concatBytes(Uint8Array.of(0x1c, 0x85, 0x01, 0, 0, 0, 0, 0, prevScript.length), prevScript);
  return concatBytes(Uint8Array.of(2, 0, 0, 0, 1), prevTxid, Uint8Array.of(0, 0, 0, 0, scriptSig.length), scriptSig, Uint8Array.of(0xfd, 0xff, 0xff, 0xff, 1), output, Uint8Array.of(0, 0, 0, 0));
}

describe('P2SH, CLEANSTACK and pay-to-anchor', () => {
  const redeem = Uint8Array.of(0x51); // OP_TRUE
  const p2sh = concatBytes(Uint8Array.of(0xa9, 0x14), hash160(redeem), Uint8Array.of(0x87));
  const spendWith = (scriptSig: Uint8Array): Uint8Array => legacySpend(scriptSig);

  it('accepts a clean P2SH spend', () => {
    expect(verifyInput(spendWith(Uint8Array.of(0x01, 0x51)), 0, [{ script: p2sh, amount }], STANDARD_SCRIPT_FLAGS)).toEqual({ ok: true });
  });

  it('refuses an extra stack item as a policy failure (CLEANSTACK)', () => {
    const verdict = verifyInput(spendWith(Uint8Array.of(0x02, 0x07, 0x07, 0x01, 0x51)), 0, [{ script: p2sh, amount }], STANDARD_SCRIPT_FLAGS);
    expect(verdict).toEqual({ ok: false, error: 'SCRIPT_ERR_CLEANSTACK', message: 'Stack size must be exactly one after execution', mandatory: false });
  });

  it('refuses a non-minimal push as a policy failure', () => {
    const verdict = verifyInput(spendWith(Uint8Array.of(0x4c, 0x01, 0x51)), 0, [{ script: p2sh, amount }], STANDARD_SCRIPT_FLAGS);
    expect(verdict).toMatchObject({ ok: false, error: 'SCRIPT_ERR_MINIMALDATA', mandatory: false });
  });

  it('accepts a keyless pay-to-anchor spend', () => {
    const p2a = Uint8Array.of(0x51, 0x02, 0x4e, 0x73);
    expect(verifyInput(legacySpend(new Uint8Array(0)), 0, [{ script: p2a, amount: 240n }], STANDARD_SCRIPT_FLAGS)).toEqual({ ok: true });
  });
});

describe('malformed input', () => {
  it('throws typed errors for bytes that are not a transaction or outputs that do not match', () => {
    expect(() => new TransactionScripts(Uint8Array.of(1, 2, 3), [])).toThrow(ScriptVerifyError);
    expect(() => new TransactionScripts(legacySpend(new Uint8Array(0)), [])).toThrow(ScriptVerifyError);
    expect(() => new TransactionScripts(legacySpend(new Uint8Array(0)), [{ script: prevScript, amount }]).verifyInput(1, 0)).toThrow(ScriptVerifyError);
  });

  it('maps bitcore reasons to Core codes', () => {
    expect(scriptErrorFromBitcore('SCRIPT_ERR_EVAL_FALSE_IN_STACK')).toBe('SCRIPT_ERR_EVAL_FALSE');
    expect(scriptErrorFromBitcore('SCRIPT_ERR_UNKNOWN_ERROR: TypeError')).toBe('SCRIPT_ERR_UNKNOWN_ERROR');
    expect(scriptErrorFromBitcore(undefined)).toBe('SCRIPT_ERR_UNKNOWN_ERROR');
  });
});
