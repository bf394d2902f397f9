/**
 * Prometheus alerting rules: a panel with a threshold and an action alerts
 * when its query crosses the threshold.
 */

import { ServiceTier, sortedBy } from '@gitops/descriptors-common';
import type { ThresholdOperator } from './bundles';
import type { ResolvedPanel } from './panels';

/** Alert severity, from the service tier. @public */
export type AlertSeverity = 'critical' | 'warning';

/** One alerting rule of a Prometheus rule file. @public */
export interface PrometheusAlertRule {
  readonly alert: string;
  readonly expr: string;
  /** How long the condition must hold; absent when the expression has its own window. */
  readonly for?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

/** A Prometheus rule file (`promtool check rules`). @public */
export interface PrometheusRuleFile {
  readonly groups: ReadonlyArray<{
    readonly name: string;
    readonly rules: ReadonlyArray<PrometheusAlertRule>;
  }>;
}

/**
 * Severity of a component's alerts: tiers 1 and 2 are `critical`, 3 and 4
 * `warning`.
 *
 * @public
 */
export function severityForTier(tier: ServiceTier): AlertSeverity {
  return tier <= 2 ? 'critical' : 'warning';
}

/** Where an alert goes when the file does not say: critical ones page. */
export const defaultAction = (severity: AlertSeverity) =>
  severity === 'critical' ? 'pagerduty' : 'slack';

const OPERATOR_WORDS: Record<ThresholdOperator, string> = {
  '>': 'above',
  '<': 'below',
  '>=': 'at or above',
  '<=': 'at or below',
};
const UNIT_SUFFIX: Record<string, string> = { ms: ' ms', percentunit: '' };

/** Collects a component's alerts with unique names; identical rules once. */
export class AlertRules {
  private readonly rules = new Map<string, PrometheusAlertRule>();
  private readonly labels: Record<string, string>;

  constructor(
    private readonly component: string,
    team: string,
    tier: ServiceTier,
    severity: AlertSeverity,
  ) {
    this.labels = { component, severity, team, tier: String(tier) };
  }

  get size() {
    return this.rules.size;
  }

  add(panel: ResolvedPanel, uid: string) {
    if (!panel.alert || !panel.threshold) return;
    const { value, operator } = panel.threshold;
    const rule = {
      alert: panel.name,
      expr: `${panel.expr} ${operator} ${value}`,
      ...(panel.alert.for ? { for: panel.alert.for.toString() } : {}),
      labels: { action: panel.alert.action, ...this.labels },
      annotations: {
        dashboard_uid: uid,
        description: panel.alert.description,
        summary: `${panel.title} ${OPERATOR_WORDS[operator]} ${value}${
          UNIT_SUFFIX[panel.unit] ?? ''
        } on ${this.component}`,
      },
    };
    let name = panel.name;
    for (let n = 2; this.rules.has(name); n++) {
      const other = this.rules.get(name)!;
      // The same bundle on two dashboards alerts once.
      if (other.expr === rule.expr && other.for === rule.for) return;
      name = `${panel.name}${n}`;
    }
    this.rules.set(name, { ...rule, alert: name });
  }

  /** The rules by name. */
  sorted(): PrometheusAlertRule[] {
    return sortedBy(this.rules.values(), r => r.alert);
  }
}
