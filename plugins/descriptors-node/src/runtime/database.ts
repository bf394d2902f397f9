import type { DatabaseService } from '@backstage/backend-plugin-api';

/**
 * The knex client of a plugin's database.
 *
 * @public
 */
export type DatabaseClient = Awaited<ReturnType<DatabaseService['getClient']>>;

/**
 * A schema change kept in code (no migrations folder to ship). Add one,
 * never change one.
 *
 * @public
 */
export interface CodeMigration {
  /** Applies the change. */
  up(knex: DatabaseClient): Promise<void>;
  /** Reverts it. */
  down(knex: DatabaseClient): Promise<void>;
}

/**
 * Brings a plugin's database to its latest schema with knex, unless the
 * backend skips migrations, and returns its client.
 *
 * Replicas starting together on a fresh database would race inside knex:
 * both create its lock table and insert its lock row, after which no one
 * can take the lock again ("Migration table is already locked", for good).
 * On PostgreSQL the migrations therefore run under a transaction-scoped
 * advisory lock named after the migrations table, so replicas migrate one
 * after the other and the later ones find the schema current. SQLite files
 * are not shared between replicas.
 *
 * @public
 */
export async function migrateInCode(
  database: DatabaseService,
  options: { tableName: string; migrations: Record<string, CodeMigration> },
): Promise<DatabaseClient> {
  const knex = await database.getClient();
  if (database.migrations?.skip) return knex;
  const { tableName, migrations } = options;
  const migrate = () =>
    knex.migrate.latest({
      tableName,
      migrationSource: {
        getMigrations: async () => Object.keys(migrations).sort(),
        getMigrationName: (migration: string) => migration,
        getMigration: async (migration: string) => migrations[migration],
      },
    });
  if (knex.client.config?.client === 'pg') {
    await knex.transaction(async trx => {
      await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [tableName]);
      await migrate();
    });
  } else {
    await migrate();
  }
  return knex;
}
