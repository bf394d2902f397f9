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

/** How often a replica tries again when another one races it. */
const MIGRATION_ATTEMPTS = 8;
/** What knex and the databases answer to the loser of such a race. */
const RACE = /already exists|already locked|duplicate key|deadlock detected/i;

/**
 * Brings a plugin's database to its latest schema with knex, unless the
 * backend skips migrations, and returns its client.
 *
 * Replicas starting together on a fresh database race to create knex's
 * lock table, and the loser of knex's lock gives up at once: the loser
 * tries again after a pause, and then finds the schema current.
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
  for (let attempt = 1; ; attempt++) {
    try {
      await knex.migrate.latest({
        tableName,
        migrationSource: {
          getMigrations: async () => Object.keys(migrations).sort(),
          getMigrationName: (migration: string) => migration,
          getMigration: async (migration: string) => migrations[migration],
        },
      });
      return knex;
    } catch (error) {
      const raced = RACE.test(String((error as Error)?.message ?? error));
      if (!raced || attempt >= MIGRATION_ATTEMPTS) throw error;
      await new Promise(resolve =>
        setTimeout(resolve, 250 * attempt + Math.random() * 250),
      );
    }
  }
}
