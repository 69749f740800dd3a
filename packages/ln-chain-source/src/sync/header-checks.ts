import type { BlockHeaderData } from 'ln-chain-api';
import { bitsToTarget, blockHeaderHash, blockWork, meetsProofOfWork } from 'ln-tx';
import { type Network, blockHashToHex, equalBytes } from 'ln-types';
import { ChainSourceError } from '../errors.js';

// The checks a light client can make on headers alone (as lightning-block-sync
// does): a header hashes to its id and meets its own target, the target is
// within the network's limit, each header names its parent and sits one height
// above it, and the difficulty only changes where the network's rules let it.

const MAINNET_LIMIT = (1n << 224n) - 1n;
const POW_LIMIT: Readonly<Record<Network, bigint>> = {
  bitcoin: MAINNET_LIMIT,
  testnet: MAINNET_LIMIT,
  testnet4: MAINNET_LIMIT,
  signet: 0x00000377ae000000000000000000000000000000000000000000000000000000n,
  regtest: (1n << 255n) - 1n,
};
const RETARGET_INTERVAL = 2016;

function target(bits: number, what: string): bigint {
  try {
    return bitsToTarget(bits);
  } catch (cause) {
    throw new ChainSourceError('invalid_data', `${what}: bits ${bits.toString(16)} do not encode a target`, { cause });
  }
}

/**
 * Checks one header on its own: it hashes to its id and has the proof of work
 * its bits claim (within the network's limit when one is given).
 * @throws ChainSourceError `invalid_data`
 */
export function checkHeader(h: BlockHeaderData, network: Network | undefined): void {
  const what = `header ${blockHashToHex(h.hash)}`;
  if (!Number.isInteger(h.height) || h.height < 0) throw new ChainSourceError('invalid_data', `${what}: height ${h.height}`);
  if (!equalBytes(blockHeaderHash(h.header), h.hash)) throw new ChainSourceError('invalid_data', `${what} does not hash to its id`);
  const t = target(h.header.bits, what);
  if (network !== undefined && t > POW_LIMIT[network]) throw new ChainSourceError('invalid_data', `${what}: target above the ${network} limit`);
  if (!meetsProofOfWork(h.hash, h.header.bits)) throw new ChainSourceError('invalid_data', `${what} lacks the proof of work its bits claim`);
}

/**
 * Checks that `child` builds on `parent`: it names it, sits one height above
 * it, and keeps its difficulty unless the network retargets there.
 * @throws ChainSourceError `invalid_data`
 */
export function checkLink(child: BlockHeaderData, parent: BlockHeaderData, network: Network | undefined): void {
  const what = `header ${blockHashToHex(child.hash)}`;
  if (!equalBytes(child.header.prevBlockHash, parent.hash)) throw new ChainSourceError('invalid_data', `${what} does not build on ${blockHashToHex(parent.hash)}`);
  if (child.height !== parent.height + 1) throw new ChainSourceError('invalid_data', `${what} at height ${child.height} builds on height ${parent.height}`);
  if (network === undefined || network === 'testnet' || network === 'testnet4') return;
  if (child.header.bits === parent.header.bits) return;
  // Regtest never retargets; mainnet and signet only every 2016 blocks, by at most a factor of 4.
  if (network === 'regtest' || child.height % RETARGET_INTERVAL !== 0) throw new ChainSourceError('invalid_data', `${what} changes the difficulty at height ${child.height}`);
  if (target(child.header.bits, what) > target(parent.header.bits, what) * 4n) throw new ChainSourceError('invalid_data', `${what} lowers the difficulty more than fourfold`);
}

/** The total work of headers (for comparing two branches from a fork point). */
export function branchWork(headers: readonly BlockHeaderData[]): bigint {
  let sum = 0n;
  for (const h of headers) sum += blockWork(h.header.bits);
  return sum;
}
