// Runs bitcore-lib's interpreter (ln-script-check) outside jest's module VM,
// where it is an order of magnitude faster. Messages: { id, raw, index, witness,
// prevScript, amountSat } -> { id, ok, error }.
import { parentPort } from 'node:worker_threads';
import { checkSpend } from 'ln-script-check';

parentPort.on('message', (job) => {
  let result;
  try {
    result = checkSpend({ tx: job.raw, index: job.index, witness: job.witness, prevScript: job.prevScript, amountSat: BigInt(job.amountSat), ...(job.scriptSig ? { scriptSig: job.scriptSig } : {}) });
  } catch (e) {
    result = { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
  parentPort.postMessage({ id: job.id, ok: result.ok, error: result.error });
});
