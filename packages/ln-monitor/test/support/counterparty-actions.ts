// What the other side (B, or a cheating A) does on chain in the tests: claim an
// HTLC output of a commitment directly (preimage or timeout path), signed with
// that side's own HTLC key.
import { type Tx, buildSweepTx, offeredHtlcClaimWitnessWeight, offeredHtlcPreimageWitness, p2wpkh, receivedHtlcTimeoutWitness, receivedHtlcTimeoutWitnessWeight, txidOf, withWitness } from 'ln-tx';
import type { MonitorHtlc } from 'ln-chain-api';
import { outPoint } from 'ln-types';
import type { ChannelSim, Side, SimHtlc } from './channel-sim.js';
import { backend } from './keys.js';

/**
 * `claimer` takes HTLC `h` from `owner`'s commitment `n` (on chain as `commitment`):
 * with the preimage if `owner` offered it, else by its timeout (after its expiry).
 */
export async function claimHtlcDirectly(sim: ChannelSim, claimer: Side, owner: Side, n: bigint, commitment: Tx, h: SimHtlc, feeratePerKw = 2000): Promise<Tx> {
  const built = sim.built(owner, n);
  const o = built.htlcOutputs.find((x) => (built.description.htlcs[x.htlcIndex] as MonitorHtlc).htlcId === h.id);
  if (o === undefined) throw new Error(`HTLC ${h.id} is not on ${owner}${n}`);
  const offeredByOwner = h.offerer === owner;
  const anchors = sim.format === 'anchors';
  const sequence = anchors ? 1 : 0xfffffffd;
  const keys = claimer === 'A' ? sim.a : sim.b;
  const destination = p2wpkh(backend.publicKeyCreate(keys.destinationPrivateKey()));
  const unsigned = buildSweepTx(
    [
      {
        input: { previousOutput: outPoint(txidOf(commitment), o.outputIndex), sequence },
        amountSat: o.amountSat,
        witnessWeight: offeredByOwner ? offeredHtlcClaimWitnessWeight(sim.format) : receivedHtlcTimeoutWitnessWeight(sim.format),
      },
    ],
    destination,
    feeratePerKw,
    330n,
    offeredByOwner ? 0 : h.cltvExpiry,
  );
  const signer = claimer === 'A' ? sim.signerA : sim.signerB;
  const point = (owner === 'A' ? sim.aSigned : sim.bSigned).get(n)!.data.perCommitmentPoint;
  const sig = await signer.signCounterpartyHtlcClaim({ tx: unsigned, inputIndex: 0, amountSat: o.amountSat, witnessScript: o.witnessScript! }, point);
  return withWitness(unsigned, 0, offeredByOwner ? offeredHtlcPreimageWitness(sig, h.preimage, o.witnessScript!) : receivedHtlcTimeoutWitness(sig, o.witnessScript!));
}
