/**
 * The monitoring generator: dashboards, alerting rules and alert routes of
 * a monitoring-info.yaml, put together from the files beside this one
 * (`panels.ts`, `dashboard.ts`, `alertRules.ts`, `alertmanager.ts`).
 */

import {
  CatalogContext,
  Descriptor,
  DescriptorProblem,
  describeValue,
  fileProblem,
  formatDataPath,
  problemIn,
  Result,
  sortedBy,
  sortedStrings,
  sortProblems,
} from '@gitops/descriptors-common';
import {
  AlertmanagerConfig,
  alertmanagerConfig,
  isTeamName,
} from './alertmanager';
import {
  AlertRules,
  PrometheusAlertRule,
  PrometheusRuleFile,
  severityForTier,
} from './alertRules';
import { BUNDLES } from './bundles';
import {
  buildDashboard,
  dashboardUid,
  GeneratedDashboard,
  sameUidMessage,
} from './dashboard';
import { bundleSection, resolveDashboard } from './panels';
import { MonitoringInfo } from './schema';

/**
 * The `file` of problems with the generator's input rather than a file: the
 * catalog context (its owner). Their `path` starts at the input, e.g.
 * `context.component.owner`, as the deployments renderer's `<render input>`.
 *
 * @public
 */
export const GENERATE_INPUT = '<generate input>';

/** Everything generated from one monitoring-info.yaml. @public */
export interface MonitoringOutput {
  /** By component name, then in declared order. */
  readonly dashboards: ReadonlyArray<GeneratedDashboard>;
  /** One group per component that has alerts, rules sorted by name. */
  readonly prometheusRules: PrometheusRuleFile;
  readonly alertmanagerRoutes: AlertmanagerConfig;
}

/**
 * Generates the dashboards, alerting rules and alert routes of a
 * monitoring-info.yaml for the component described by `context`. Pure and
 * deterministic: the same input gives deep-equal output. Bad input (an
 * owner that is not an entity name, a hand-built value the schema would
 * refuse) is reported as problems, every one of them, never thrown.
 *
 * @public
 */
export function generateMonitoring(
  info: Descriptor<MonitoringInfo>,
  context: CatalogContext,
): Result<MonitoringOutput> {
  const problems: DescriptorProblem[] = [];
  const team = context.component.owner;
  if (!isTeamName(team)) {
    problems.push(
      fileProblem(
        GENERATE_INPUT,
        `catalog context owner ${describeValue(
          team,
        )} is not an entity name: it names the team's alert route, receivers and secret files`,
        ['context', 'component', 'owner'],
      ),
    );
  }
  const severity = severityForTier(context.component.tier);
  const components = sortedStrings(Object.keys(info.value.components));
  // Database rows belong to the catalog component; if monitoring-info does
  // not name it, the first component stands in for it.
  const dbComponent = components.includes(context.component.name)
    ? context.component.name
    : components[0];
  const databases = sortedBy(
    new Map(
      context.dependsOn
        .filter(r => r.type === 'database')
        .map(r => [r.name, r] as const),
    ).values(),
    r => r.name,
  );

  const dashboards: GeneratedDashboard[] = [];
  const uids = new Map<string, string>();
  const groups: { name: string; rules: PrometheusAlertRule[] }[] = [];
  for (const component of components) {
    const rules = new AlertRules(
      component,
      team,
      context.component.tier,
      severity,
    );
    info.value.components[component].forEach((declaration, index) => {
      const resolved = resolveDashboard(info, component, index, severity);
      if (!resolved.ok) {
        problems.push(...resolved.problems);
        return;
      }
      const sections = resolved.value;
      if (component === dbComponent && index === 0) {
        for (const db of databases) {
          sections.push(
            bundleSection(component, BUNDLES.database, severity, {
              row: `Database ${db.name}${db.engine ? ` (${db.engine})` : ''}`,
              extra: { pool: db.name },
              instance: db.name,
            }),
          );
        }
      }
      // The schema refuses two titles of one uid; hand-built values land here.
      const uid = dashboardUid(component, declaration.name);
      const first = uids.get(uid);
      if (first) {
        problems.push(
          problemIn(
            info,
            ['components', component, index, 'name'],
            sameUidMessage(declaration.name, uid, first),
          ),
        );
        return;
      }
      uids.set(uid, formatDataPath(['components', component, index]));
      dashboards.push({
        uid,
        title: declaration.name,
        component,
        json: buildDashboard(
          declaration.name,
          uid,
          component,
          sections,
          context,
        ),
      });
      for (const panel of sections.flatMap(s => s.panels)) {
        rules.add(panel, uid);
      }
    });
    if (rules.size > 0) groups.push({ name: component, rules: rules.sorted() });
  }
  if (problems.length > 0) {
    return { ok: false, problems: sortProblems(problems) };
  }
  return {
    ok: true,
    value: {
      dashboards,
      prometheusRules: { groups },
      alertmanagerRoutes: alertmanagerConfig(team),
    },
  };
}
