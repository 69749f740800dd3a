// Where the PostgreSQL tests find their server: LN_TEST_POSTGRES_URL (.ci/run
// starts a throwaway one; locally: eval "$(bash scripts/test-server.sh start)").
// Without it, or when the server cannot be reached, the tests are skipped
// with a message saying so, unless LN_REQUIRE_POSTGRES=1 makes that a failure.
import pg from 'pg';

async function probe(url: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  } finally {
    await client.end().catch(() => {});
  }
}

async function find(): Promise<string | undefined> {
  const url = process.env.LN_TEST_POSTGRES_URL;
  const required = process.env.LN_REQUIRE_POSTGRES === '1';
  if (url === undefined || url === '') {
    if (required) throw new Error('LN_REQUIRE_POSTGRES=1 but LN_TEST_POSTGRES_URL is not set');
    console.log('ln-store-postgres: SKIPPED the PostgreSQL tests: LN_TEST_POSTGRES_URL is not set (bash packages/ln-store-postgres/scripts/test-server.sh start gives a throwaway server)');
    return undefined;
  }
  const problem = await probe(url);
  if (problem === undefined) return url;
  if (required) throw new Error(`LN_REQUIRE_POSTGRES=1 but ${url} cannot be reached: ${problem}`);
  console.log(`ln-store-postgres: SKIPPED the PostgreSQL tests: no server at LN_TEST_POSTGRES_URL=${url}: ${problem}`);
  return undefined;
}

/** The server's URL, or undefined when the tests are to be skipped (the reason was printed). */
export const postgresUrl = await find();

let tables = 0;
/** A table name no other test (or run) uses. */
export function freshTable(): string {
  return `ln_kv_test_${process.pid}_${Date.now().toString(36)}_${tables++}`;
}

/** Drops the tables a test file made (best effort). */
export async function dropTables(names: readonly string[]): Promise<void> {
  if (postgresUrl === undefined || names.length === 0) return;
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    for (const name of names) await client.query(`DROP TABLE IF EXISTS "${name}"`);
  } finally {
    await client.end();
  }
}

/**
 * The server's URL with another user or database. (Not WHATWG URL: a Unix
 * socket URL, `postgresql://user@/db?host=/dir`, has an empty host it refuses.)
 */
export function withUrlParts(url: string, parts: { readonly user?: string; readonly database?: string }): string {
  const m = /^(postgres(?:ql)?:\/\/)(?:([^@/]*)@)?([^/?]*)(?:\/([^?]*))?(\?.*)?$/.exec(url);
  if (m === null) throw new Error(`cannot take apart the URL ${url}`);
  const [, scheme, user, host, database, query] = m;
  const who = parts.user ?? user;
  return `${scheme}${who === undefined ? '' : `${who}@`}${host}/${parts.database ?? database ?? ''}${query ?? ''}`;
}
