import type { DatabaseService } from '@backstage/backend-plugin-api';
import {
  CodeMigration,
  DatabaseClient,
  migrateInCode,
} from '@gitops/descriptors-node';

/** The knex client of the plugin's database. */
export type Knex = DatabaseClient;

/** Tables of the store. */
export const TABLES = {
  deliveries: 'pipelines_deliveries',
  runs: 'pipelines_runs',
  steps: 'pipelines_steps',
  logs: 'pipelines_log_chunks',
} as const;

/**
 * The store's schema as knex migrations kept in code, as the githost
 * plugin does (no migrations folder to ship). Add a migration, never change
 * one. Times are epoch milliseconds (bigint), the same on SQLite and
 * PostgreSQL; structured fields are JSON text.
 */
const MIGRATIONS: Record<string, CodeMigration> = {
  '20261202_01_runs': {
    async up(knex) {
      // Every event acknowledged: recorded before the acknowledgement, turned
      // into runs by a worker. The delivery id is the key: a redelivery
      // records nothing.
      await knex.schema.createTable(TABLES.deliveries, table => {
        table.string('delivery_id', 100).primary();
        table.string('topic', 100).notNullable();
        table.text('payload').notNullable();
        // pending → done | failed
        table.string('state', 16).notNullable().index();
        table.string('claimed_by', 64).nullable();
        table.bigInteger('claimed_at').nullable();
        table.integer('attempts').notNullable().defaultTo(0);
        table.text('error').nullable();
        table.bigInteger('received_at').notNullable();
        table.bigInteger('processed_at').nullable();
      });
      await knex.schema.createTable(TABLES.runs, table => {
        table.string('id', 36).primary();
        table.string('entity_ref', 400).notNullable();
        table.string('pipeline', 100).notNullable();
        table.string('status', 16).notNullable();
        // What triggered it; (trigger_key, entity_ref, pipeline) is unique:
        // one run per delivery, component and pipeline, whatever the
        // number of replicas receiving it.
        table.string('trigger_key', 140).notNullable();
        table.string('trigger_kind', 16).notNullable();
        table.text('trigger').notNullable();
        table.string('ref', 255).notNullable();
        table.string('sha', 64).notNullable();
        table.text('clone_url').nullable();
        table.string('executor', 32).notNullable();
        table.text('definition').nullable();
        table.text('origin').nullable();
        table.text('problems').nullable();
        table.text('message').nullable();
        table.text('tests').nullable();
        table.string('rerun_of', 36).nullable();
        table.boolean('cancel_requested').notNullable().defaultTo(false);
        table.string('claimed_by', 64).nullable();
        table.bigInteger('heartbeat_at').nullable();
        table.bigInteger('created_at').notNullable();
        table.bigInteger('started_at').nullable();
        table.bigInteger('finished_at').nullable();
        table.unique(['trigger_key', 'entity_ref', 'pipeline'], {
          indexName: 'pipelines_runs_trigger_unique',
        });
        table.index(['entity_ref', 'created_at'], 'pipelines_runs_entity_idx');
        table.index(['status'], 'pipelines_runs_status_idx');
      });
      await knex.schema.createTable(TABLES.steps, table => {
        table.string('id', 36).primary();
        table
          .string('run_id', 36)
          .notNullable()
          .references('id')
          .inTable(TABLES.runs)
          .onDelete('CASCADE');
        table.integer('stage_index').notNullable();
        table.string('stage_name', 100).notNullable();
        table.integer('task_index').notNullable();
        table.string('task_name', 100).notNullable();
        table.integer('step_index').notNullable();
        table.string('action', 255).notNullable();
        table.text('args').notNullable();
        table.string('entrypoint', 255).nullable();
        table.text('env').nullable();
        table.string('status', 16).notNullable();
        table.integer('exit_code').nullable();
        table.text('message').nullable();
        table.text('tests').nullable();
        table.text('outputs').nullable();
        table.bigInteger('log_bytes').notNullable().defaultTo(0);
        table.boolean('truncated').notNullable().defaultTo(false);
        // Kept from the run re-run from its failed step: not executed again.
        table.boolean('reused').notNullable().defaultTo(false);
        table.bigInteger('started_at').nullable();
        table.bigInteger('finished_at').nullable();
        table.index(['run_id'], 'pipelines_steps_run_idx');
      });
      await knex.schema.createTable(TABLES.logs, table => {
        table
          .string('step_id', 36)
          .notNullable()
          .references('id')
          .inTable(TABLES.steps)
          .onDelete('CASCADE');
        table.bigInteger('offset').notNullable();
        table.integer('length').notNullable();
        table.binary('data').notNullable();
        table.primary(['step_id', 'offset']);
      });
    },
    async down(knex) {
      await knex.schema.dropTable(TABLES.logs);
      await knex.schema.dropTable(TABLES.steps);
      await knex.schema.dropTable(TABLES.runs);
      await knex.schema.dropTable(TABLES.deliveries);
    },
  },
  '20261202_02_log_encoding': {
    // Log chunks may be stored compressed: `encoding` null holds the bytes
    // as printed, `gzip` holds them gzipped; `length` is always the
    // printed length, so offsets do not change.
    async up(knex) {
      await knex.schema.alterTable(TABLES.logs, table => {
        table.string('encoding', 16).nullable();
      });
    },
    async down(knex) {
      await knex.schema.alterTable(TABLES.logs, table => {
        table.dropColumn('encoding');
      });
    },
  },
};

/** Brings the plugin's database to the latest schema. */
export async function migrateStore(database: DatabaseService): Promise<Knex> {
  const knex = await migrateInCode(database, {
    tableName: 'pipelines_knex_migrations',
    migrations: MIGRATIONS,
  });
  await tuneSqlite(knex);
  return knex;
}

/**
 * On SQLite (the embedded default), the store writes through a write-ahead
 * log synced at checkpoints (`journal_mode = WAL`, `synchronous = NORMAL`)
 * instead of syncing the disk at every commit: a commit costs microseconds
 * instead of a millisecond on the event loop, which a run pays several
 * times per step. A crash of the backend loses nothing; a power loss may
 * lose the last commits. Every connection of the pool gets it. PostgreSQL
 * is left as configured.
 */
async function tuneSqlite(knex: Knex): Promise<void> {
  const client = String(knex.client.config?.client ?? '');
  if (client !== 'better-sqlite3' && client !== 'sqlite3') return;
  const statements = [
    'PRAGMA journal_mode = WAL',
    'PRAGMA synchronous = NORMAL',
  ];
  knex.client.pool?.on?.('createSuccess', (_id: unknown, connection: any) => {
    for (const statement of statements) {
      try {
        if (typeof connection.exec === 'function') connection.exec(statement);
      } catch {
        // an in-memory database keeps its own journal
      }
    }
  });
  for (const statement of statements) await knex.raw(statement);
}
