import { randomUUID } from 'node:crypto';
import { DatabaseService, LoggerService } from '@backstage/backend-plugin-api';
import { assertError } from '@backstage/errors';
import {
  GithostService,
  RefUpdate,
  ZERO_SHA,
  publishPushEvents,
  PushEventSink,
} from '@gitops/plugin-githost-node';
import {
  CodeMigration,
  DatabaseClient as Knex,
  migrateInCode,
} from '@gitops/descriptors-node';

const TABLE = 'githost_push_events';

/**
 * The log's schema, as knex migrations kept in code (no migrations folder
 * to ship). Add a migration, never change one.
 */
const MIGRATIONS: Record<string, CodeMigration> = {
  '20261202_01_push_events': {
    async up(knex) {
      await knex.schema.createTable(TABLE, table => {
        table.increments('id');
        table.string('delivery_id', 36).notNullable().unique();
        table.string('owner', 63).notNullable();
        table.string('name', 63).notNullable();
        table.text('ref').notNullable();
        table.string('before', 40).notNullable();
        table.string('after', 40).notNullable();
        // pending: git is running; accepted: the ref moved, to publish; published.
        table.string('state', 16).notNullable().index();
        table.text('pusher').notNullable();
        table.text('refs_before').notNullable();
        table.timestamp('created_at').notNullable().defaultTo(knex.fn.now());
        table.timestamp('published_at').nullable();
      });
    },
    async down(knex) {
      await knex.schema.dropTable(TABLE);
    },
  },
};

interface PushEventRow {
  id: number;
  delivery_id: string;
  owner: string;
  name: string;
  ref: string;
  before: string;
  after: string;
  state: 'pending' | 'accepted' | 'published';
  pusher: string;
  refs_before: string;
}

/** One ref update a push asks for (its old value as the repository has it). */
export type PendingUpdate = RefUpdate;

/**
 * The durable record of push events (an outbox): every ref update of a
 * push is written before git runs (`pending`), confirmed against the refs
 * on disk once git is done (`accepted`) before the push's response
 * completes, and published from the record afterwards (`published`). After
 * a crash, {@link PushEventLog.recover} settles what git was doing (the ref
 * on disk says whether the update happened) and publishes what was accepted
 * but not published: at least once, with the `x-github-delivery` id chosen
 * when the update was recorded, so consumers that remember deliveries
 * handle each update once.
 */
export class PushEventLog {
  readonly #knex: Knex;
  readonly #githost: Pick<GithostService, 'store' | 'urls'>;
  readonly #events: PushEventSink;
  readonly #logger: LoggerService;
  /** Publishing runs one at a time, so a row is never published twice in parallel. */
  #publishing: Promise<void> = Promise.resolve();
  /** The run that has not started yet, if any. */
  #waiting: Promise<void> | undefined;

  static async create(options: {
    database: DatabaseService;
    githost: Pick<GithostService, 'store' | 'urls'>;
    events: PushEventSink;
    logger: LoggerService;
  }): Promise<PushEventLog> {
    const knex = await migrateInCode(options.database, {
      tableName: 'githost_knex_migrations',
      migrations: MIGRATIONS,
    });
    return new PushEventLog({ ...options, knex });
  }

  private constructor(options: {
    knex: Knex;
    githost: Pick<GithostService, 'store' | 'urls'>;
    events: PushEventSink;
    logger: LoggerService;
  }) {
    this.#knex = options.knex;
    this.#githost = options.githost;
    this.#events = options.events;
    this.#logger = options.logger;
  }

  /** Records the updates a push asks for, before git runs; returns their row ids. */
  async begin(options: {
    owner: string;
    name: string;
    updates: PendingUpdate[];
    pusher: { name: string; email?: string };
    refsBefore: Record<string, string>;
  }): Promise<number[]> {
    if (options.updates.length === 0) return [];
    const pusher = JSON.stringify(options.pusher);
    const refsBefore = JSON.stringify(options.refsBefore);
    const rows = options.updates.map(update => ({
      delivery_id: randomUUID(),
      owner: options.owner,
      name: options.name,
      ref: update.ref,
      before: update.before,
      after: update.after,
      state: 'pending',
      pusher,
      refs_before: refsBefore,
    }));
    return this.#knex.transaction(async tx => {
      const idOf = new Map<string, number>();
      for (const part of inBatches(rows)) {
        await tx(TABLE).insert(part);
        const inserted = await tx<PushEventRow>(TABLE)
          .whereIn(
            'delivery_id',
            part.map(row => row.delivery_id),
          )
          .select('id', 'delivery_id');
        for (const row of inserted) idOf.set(row.delivery_id, row.id);
      }
      return rows.map(row => idOf.get(row.delivery_id)!);
    });
  }

  /**
   * Once git is done: the updates whose ref now holds the new value are
   * accepted (to publish), the others (refused by git) are dropped.
   */
  async settle(ids: number[], refsAfter: Record<string, string>) {
    if (ids.length === 0) return;
    const rows = await this.#knex<PushEventRow>(TABLE)
      .whereIn('id', ids)
      .andWhere({ state: 'pending' });
    await this.#settleRows(rows, () => refsAfter);
  }

  /**
   * Publishes every accepted update not yet published, oldest first. Runs
   * take turns; calls made while a run waits for its turn share that run
   * (it reads the record when it starts, so it sees their updates).
   */
  publishAccepted(): Promise<void> {
    if (this.#waiting) return this.#waiting;
    const run = this.#publishing.then(() => {
      this.#waiting = undefined;
      return this.#publishAll();
    });
    this.#waiting = run;
    this.#publishing = run.catch(() => {});
    return run;
  }

  /**
   * After a start: settles the updates git was running when the backend
   * stopped (from the refs on disk), then publishes what is due.
   */
  async recover(): Promise<void> {
    const pending = await this.#knex<PushEventRow>(TABLE).where({
      state: 'pending',
    });
    const refs = new Map<string, Record<string, string>>();
    for (const row of pending) {
      const key = `${row.owner}/${row.name}`;
      if (!refs.has(key)) {
        refs.set(
          key,
          await this.#githost.store
            .listRefs(row.owner, row.name)
            .catch(() => ({})),
        );
      }
    }
    await this.#settleRows(
      pending,
      row => refs.get(`${row.owner}/${row.name}`) ?? {},
    );
    await this.publishAccepted();
  }

  async #settleRows(
    rows: PushEventRow[],
    refsOf: (row: PushEventRow) => Record<string, string>,
  ) {
    const accepted: number[] = [];
    const dropped: number[] = [];
    for (const row of rows) {
      const now = refsOf(row)[row.ref] ?? ZERO_SHA;
      if (now === row.after && row.before !== row.after) {
        accepted.push(row.id);
      } else {
        dropped.push(row.id);
      }
    }
    for (const ids of inBatches(accepted)) {
      await this.#knex(TABLE)
        .whereIn('id', ids)
        .andWhere({ state: 'pending' })
        .update({ state: 'accepted' });
    }
    for (const ids of inBatches(dropped)) {
      await this.#knex(TABLE).whereIn('id', ids).delete();
    }
  }

  async #publishAll() {
    const rows = await this.#knex<PushEventRow>(TABLE)
      .where({ state: 'accepted' })
      .orderBy('id');
    for (const row of rows) {
      try {
        await publishPushEvents({
          store: this.#githost.store,
          urls: this.#githost.urls,
          events: this.#events,
          owner: row.owner,
          name: row.name,
          updates: [{ ref: row.ref, before: row.before, after: row.after }],
          pusher: JSON.parse(row.pusher),
          refsBefore: JSON.parse(row.refs_before),
          deliveryIds: [row.delivery_id],
        });
      } catch (error) {
        assertError(error);
        // Left accepted: published again on the next push or start.
        this.#logger.error(
          `Failed to publish the push event of ${row.owner}/${row.name} ${row.ref} (delivery ${row.delivery_id}): ${error.message}`,
        );
        continue;
      }
      await this.#knex(TABLE)
        .where({ id: row.id })
        .update({ state: 'published', published_at: this.#knex.fn.now() });
      this.#logger.info(
        `Published github.push for ${row.owner}/${row.name} ${
          row.ref
        } ${row.before.slice(0, 7)}..${row.after.slice(0, 7)} (delivery ${
          row.delivery_id
        })`,
      );
    }
  }
}

/** Rows or ids per statement, within every database's limit on bound values. */
function inBatches<T>(items: T[], size = 100): T[][] {
  const batches: T[][] = [];
  for (let i = 0; i < items.length; i += size) {
    batches.push(items.slice(i, i + size));
  }
  return batches;
}
