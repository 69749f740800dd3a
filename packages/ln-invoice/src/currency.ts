import type { Network } from 'ln-types';
import type { InvoiceCurrency } from './types.js';

// Longest first so that `tbs` is not read as `tb` followed by an amount.
const CURRENCIES: readonly InvoiceCurrency[] = ['bcrt', 'tbs', 'bc', 'tb'];

const NETWORK_OF: Record<InvoiceCurrency, Network> = { bc: 'bitcoin', tb: 'testnet', tbs: 'signet', bcrt: 'regtest' };

/** Splits an invoice hrp (`lnbc2500u`) into currency and amount text; undefined for an unknown prefix. */
export function splitHrp(hrp: string): { currency: InvoiceCurrency; amount: string } | undefined {
  if (!hrp.startsWith('ln')) return undefined;
  for (const c of CURRENCIES) {
    if (hrp.startsWith(c, 2)) {
      const amount = hrp.slice(2 + c.length);
      // `lnbcrt...` must not fall back to `bc` with amount `rt...`: an amount starts with a digit.
      if (amount.length === 0 || (amount[0]! >= '0' && amount[0]! <= '9')) return { currency: c, amount };
    }
  }
  return undefined;
}

/** The network an invoice currency pays on (`tb` is every test network: testnet3 and testnet4). */
export function networkOfCurrency(currency: InvoiceCurrency): Network {
  return NETWORK_OF[currency];
}

/** The invoice currency prefix for a network. */
export function currencyOfNetwork(network: Network): InvoiceCurrency {
  switch (network) {
    case 'bitcoin':
      return 'bc';
    case 'testnet':
    case 'testnet4':
      return 'tb';
    case 'signet':
      return 'tbs';
    case 'regtest':
      return 'bcrt';
  }
}
