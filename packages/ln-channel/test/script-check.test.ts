// The test chain's script checks (bitcore-lib in a worker) do refuse a bad spend.
import { expect, test } from '@jest/globals';
import { encodeTx } from 'ln-tx';
import { TestChain, TestWallet, scriptChecker } from './helpers/chain.js';

test('a spend with a corrupted signature is reported', async () => {
  const chain = new TestChain({ now: () => 1_700_000_000 });
  const wallet = new TestWallet(0x44);
  const good = wallet.pay(chain, [{ script: wallet.script, amountSat: 10_000n }]);
  const witness = good.inputs[0]!.witness!;
  const badSig = witness[0]!.slice();
  badSig[10] ^= 1;
  const bad = { ...good, inputs: [{ ...good.inputs[0]!, witness: [badSig, witness[1]!] }] };
  const before = scriptChecker.failures.length;
  chain.submit(encodeTx(bad));
  await scriptChecker.drain();
  expect(scriptChecker.failures.length).toBe(before + 1);
  scriptChecker.failures.splice(before);
  chain.submit(encodeTx(good));
  await scriptChecker.drain();
  expect(scriptChecker.failures.length).toBe(before);
});
