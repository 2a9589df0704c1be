import { TestDatabases } from '@backstage/backend-test-utils';

/**
 * The databases the history tests run on: SQLite always, and PostgreSQL 15 when a server is
 * configured (`scripts/pd.sh test` sets the variable when 127.0.0.1:5432 answers) or required
 * (`.ci/run` sets PD_REQUIRE_POSTGRES, so CI fails rather than skip PostgreSQL). Without either,
 * Backstage's TestDatabases would try to start PostgreSQL in Docker under CI=true.
 */
export function historyTestDatabases(): TestDatabases {
  const postgres =
    Boolean(process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING) ||
    process.env.PD_REQUIRE_POSTGRES === 'true';
  return TestDatabases.create({
    ids: postgres ? ['POSTGRES_15', 'SQLITE_3'] : ['SQLITE_3'],
  });
}
