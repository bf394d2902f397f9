/**
 * Test helpers shared by the suite's backend packages.
 *
 * @packageDocumentation
 */

import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';

/**
 * The databases every store test runs against: SQLite always, and the
 * machine's PostgreSQL, which `npm test` finds (or starts) and announces in
 * `GITOPS_TEST_POSTGRES_ID` plus Backstage's
 * `BACKSTAGE_TEST_DATABASE_POSTGRESnn_CONNECTION_STRING`.
 *
 * Under CI a missing PostgreSQL is an error, never a silent skip.
 *
 * @public
 */
export function testDatabaseIds(): TestDatabaseId[] {
  const pg = process.env.GITOPS_TEST_POSTGRES_ID as TestDatabaseId | undefined;
  if (!pg) {
    if (process.env.CI) {
      throw new Error(
        'GITOPS_TEST_POSTGRES_ID is not set: run the tests with `npm test`, which starts PostgreSQL and sets it',
      );
    }
    return ['SQLITE_3'];
  }
  const variable = `BACKSTAGE_TEST_DATABASE_${pg.replace(
    '_',
    '',
  )}_CONNECTION_STRING`;
  if (!process.env[variable]) {
    throw new Error(`${pg} was requested but ${variable} is not set`);
  }
  return ['SQLITE_3', pg];
}

/**
 * `TestDatabases` over {@link testDatabaseIds}, with Docker disabled (there is
 * no Docker engine on these machines).
 *
 * @public
 */
export function createTestDatabases(): TestDatabases {
  return TestDatabases.create({ ids: testDatabaseIds(), disableDocker: true });
}

export { cleanupTempDirs, createGitClient, tempDir } from './gitClient';
export type { GitResult } from './gitClient';
