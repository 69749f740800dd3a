// Independent validation for tests: bitcore-lib's script interpreter checks that a
// transaction we built validly spends what it claims to spend. The wrapper itself
// lives in ln-script-verify (the regtest chain validates every transaction with it
// at run time); this tool keeps the test-harness entry point the packages' tests use.
export { checkSpend, type SpendToCheck } from 'ln-script-verify';
