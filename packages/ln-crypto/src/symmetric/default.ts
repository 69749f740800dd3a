import type { SymmetricBackend } from './backend.js';
import { nobleSymmetric } from './noble.js';
import { nodeSymmetric } from './node.js';

/** The symmetric backend the package-level functions use: Node's when present, else noble. */
export const defaultSymmetric: SymmetricBackend = nodeSymmetric ?? nobleSymmetric;
