// The crash scenario's child process opens the store through this module
// (the location is the table name; the server comes from the environment).
import { PostgresStore } from '../src/index.js';

export async function openStore(location: string): Promise<PostgresStore> {
  return PostgresStore.open({ connectionString: process.env.LN_TEST_POSTGRES_URL!, table: location });
}
