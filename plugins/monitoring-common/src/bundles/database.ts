import { alertSetting, POD, rate } from './helpers';
import { Bundle } from './types';

const HIKARI = 'hikaricp_connections';

/**
 * `database`: the HikariCP pool of one database the component depends on.
 * Not declarable: the generator adds it for every `dependsOn` database of
 * the catalog context.
 */
export const database: Bundle = {
  name: 'database',
  title: 'Database',
  description:
    'The HikariCP connection pool of one database the component depends on. Added for every `dependsOn` resource of type `database`; the pool must be named after the resource (`spring.datasource.hikari.pool-name`).',
  declarable: false,
  servesTraffic: false,
  panels: [
    {
      id: 'database/connections-active',
      title: 'Active connections',
      description: 'Connections in use, by pod.',
      unit: 'short',
      legend: `{{${POD}}}`,
      query: q => `sum by (${POD}) (${HIKARI}_active{${q.select()}})`,
      settings: {},
    },
    {
      id: 'database/connections-pending',
      title: 'Threads waiting for a connection',
      description:
        'Threads waiting for a free connection, by pod: the pool is exhausted.',
      unit: 'short',
      legend: `{{${POD}}}`,
      query: q => `sum by (${POD}) (${HIKARI}_pending{${q.select()}})`,
      settings: {
        threshold_count: {
          kind: 'count',
          default: 5,
          description: 'Waiting threads above which the panel turns red.',
        },
        alert: alertSetting(true),
      },
      threshold: { setting: 'threshold_count', operator: '>' },
    },
    {
      id: 'database/connection-usage',
      title: 'Connection usage time',
      description:
        'Average time a connection is held per borrow, i.e. queries and transactions.',
      unit: 'ms',
      legend: 'average',
      query: q =>
        `sum(${rate(`${HIKARI}_usage_seconds_sum`, q.select())}) / sum(${rate(
          `${HIKARI}_usage_seconds_count`,
          q.select(),
        )}) * 1000`,
      settings: {
        threshold_ms: {
          kind: 'milliseconds',
          default: 500,
          description: 'Average usage time above which the panel turns red.',
        },
        alert: alertSetting(false),
      },
      threshold: { setting: 'threshold_ms', operator: '>' },
    },
  ],
};
