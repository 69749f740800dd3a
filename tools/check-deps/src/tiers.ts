/**
 * The tiers of the architecture (docs/ARCHITECTURE.md) and who may depend on whom.
 * Each package declares its tier once, in the `lnTier` field of its package.json.
 */
export type Tier = 'vocabulary' | 'contract' | 'component' | 'assembly' | 'tool';

export const TIERS: readonly Tier[] = ['vocabulary', 'contract', 'component', 'assembly', 'tool'];

/** For each tier, the tiers its runtime code (dependencies and src/ imports) may use. */
export const ALLOWED: Readonly<Record<Tier, readonly Tier[]>> = {
  // Pure protocol code builds only on other pure protocol code.
  vocabulary: ['vocabulary'],
  // Contracts hold interfaces and plain data over the vocabulary (and other contracts).
  contract: ['vocabulary', 'contract'],
  // A component never imports another component: it talks through contracts.
  component: ['vocabulary', 'contract'],
  // Assemblies wire everything together.
  assembly: ['vocabulary', 'contract', 'component'],
  // Tools (benchmark harness, checkers) are for development only.
  tool: ['vocabulary', 'contract', 'component', 'assembly', 'tool'],
};

/** Why an edge is refused, in words that name the rule. */
export function ruleText(from: Tier, to: Tier): string {
  if (from === 'component' && to === 'component') return 'a component never imports another component; go through a contract package';
  if (to === 'tool') return 'tool packages are development-only (devDependencies, tests and benchmarks)';
  if (from === 'contract') return 'a contract imports only tier 0 (vocabulary and contracts)';
  if (from === 'vocabulary') return 'vocabulary packages import only other vocabulary packages';
  return `a ${from} package may not depend on a ${to} package`;
}
