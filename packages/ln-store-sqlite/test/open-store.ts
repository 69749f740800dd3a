// The crash scenario's child process opens the store through this module.
import { join } from 'node:path';
import { SqliteStore } from '../src/index.js';

export async function openStore(location: string): Promise<SqliteStore> {
  return new SqliteStore(join(location, 'kv.sqlite'));
}
