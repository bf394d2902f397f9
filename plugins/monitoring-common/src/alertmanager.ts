/**
 * The Alertmanager configuration: the owning team's route, split by the
 * alerts' `action`, and its receivers.
 */

import { escapeLabelValue } from '@gitops/descriptors-common';

/**
 * Where Alertmanager reads the receivers' secrets: one file per receiver,
 * named after it, mounted from a Kubernetes secret.
 *
 * @public
 */
export const ALERTMANAGER_SECRETS_DIR = '/etc/alertmanager/secrets';

/** Receiver of alerts no team route takes; it notifies nobody. @public */
export const DEFAULT_RECEIVER = 'default';

/** A node of the Alertmanager routing tree. @public */
export interface AlertmanagerRoute {
  readonly receiver: string;
  readonly matchers?: ReadonlyArray<string>;
  readonly group_by?: ReadonlyArray<string>;
  readonly routes?: ReadonlyArray<AlertmanagerRoute>;
}

/** An Alertmanager receiver; secrets are file references only. @public */
export interface AlertmanagerReceiver {
  readonly name: string;
  readonly pagerduty_configs?: ReadonlyArray<{
    readonly routing_key_file: string;
    readonly send_resolved: boolean;
  }>;
  readonly slack_configs?: ReadonlyArray<{
    readonly api_url_file: string;
    readonly send_resolved: boolean;
  }>;
}

/** An Alertmanager configuration (`amtool check-config`). @public */
export interface AlertmanagerConfig {
  readonly route: AlertmanagerRoute;
  readonly receivers: ReadonlyArray<AlertmanagerReceiver>;
}

/**
 * Backstage entity names. The owner names receivers and their secret files,
 * so nothing else may reach them.
 */
const ENTITY_NAME = /^[a-zA-Z0-9]+([-_.][a-zA-Z0-9]+)*$/;

/** Whether an owner can name a team's route, receivers and secret files. */
export function isTeamName(owner: unknown): owner is string {
  return (
    typeof owner === 'string' && owner.length <= 63 && ENTITY_NAME.test(owner)
  );
}

/** The routes and receivers of one team (an entity name, see {@link isTeamName}). */
export function alertmanagerConfig(team: string): AlertmanagerConfig {
  const pagerduty = `${team}-pagerduty`;
  const slack = `${team}-slack`;
  const match = (label: string, value: string) =>
    `${label}="${escapeLabelValue(value)}"`;
  return {
    route: {
      receiver: DEFAULT_RECEIVER,
      group_by: ['alertname', 'component'],
      routes: [
        {
          matchers: [match('team', team)],
          receiver: slack,
          routes: [
            { matchers: [match('action', 'pagerduty')], receiver: pagerduty },
            { matchers: [match('action', 'slack')], receiver: slack },
            // Alerts written by hand carry no action: page on critical ones.
            { matchers: [match('severity', 'critical')], receiver: pagerduty },
          ],
        },
      ],
    },
    receivers: [
      { name: DEFAULT_RECEIVER },
      {
        name: pagerduty,
        pagerduty_configs: [
          {
            routing_key_file: `${ALERTMANAGER_SECRETS_DIR}/${pagerduty}`,
            send_resolved: true,
          },
        ],
      },
      {
        name: slack,
        slack_configs: [
          {
            api_url_file: `${ALERTMANAGER_SECRETS_DIR}/${slack}`,
            send_resolved: true,
          },
        ],
      },
    ],
  };
}
