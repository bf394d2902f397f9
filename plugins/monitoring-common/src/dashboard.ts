/**
 * Grafana dashboards, built with the Grafana Foundation SDK: one per
 * declared dashboard, each section a row of timeseries panels.
 */

import {
  CatalogContext,
  describeValue,
  sortedStrings,
  toBoundedDnsLabel,
} from '@gitops/descriptors-common';
import {
  GraphThresholdsStyleConfigBuilder,
  GraphThresholdsStyleMode,
  LegendDisplayMode,
  LegendPlacement,
  VizLegendOptionsBuilder,
} from '@grafana/grafana-foundation-sdk/common';
import {
  Dashboard,
  DashboardBuilder,
  DatasourceVariableBuilder,
  RowBuilder,
  ThresholdsConfigBuilder,
  ThresholdsMode,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { DataqueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder } from '@grafana/grafana-foundation-sdk/timeseries';
import type { ResolvedPanel, Section } from './panels';

/** Longest uid Grafana accepts. @public */
export const DASHBOARD_UID_MAX_LENGTH = 40;

/** A Grafana dashboard, as the SDK types it; serialised by `dashboardToJson`. @public */
export interface GeneratedDashboard {
  /** Stable Grafana uid, see {@link dashboardUid}. */
  readonly uid: string;
  readonly title: string;
  /** The monitoring-info component it belongs to. */
  readonly component: string;
  readonly json: Dashboard;
}

/**
 * The stable Grafana uid of a component's dashboard: component and title as
 * one DNS label (`example-app-example-app-dashboard` for the seed's
 * `[example-app] Dashboard`), cut with a stable hash of both when longer
 * than Grafana's 40 characters.
 *
 * @public
 */
export function dashboardUid(component: string, title: string): string {
  return toBoundedDnsLabel(DASHBOARD_UID_MAX_LENGTH, component, title);
}

/** The message for a dashboard whose uid another one already has. */
export function sameUidMessage(
  title: string,
  uid: string,
  first: string,
): string {
  return `dashboard name ${describeValue(
    title,
  )} gives the same Grafana uid "${uid}" as ${first}: titles must differ in their letters or digits`;
}

const PANEL_WIDTH = 8;
const PANEL_HEIGHT = 8;

/** A new object each time: the output shares no object with another one. */
const datasource = () => ({ type: 'prometheus', uid: '${datasource}' });

/** The dashboard of one declaration, its sections laid out top to bottom. */
export function buildDashboard(
  title: string,
  uid: string,
  component: string,
  sections: ReadonlyArray<Section>,
  context: CatalogContext,
): Dashboard {
  const { owner, tier, system } = context.component;
  const tags = sortedStrings([
    'gitops',
    `component:${component}`,
    `owner:${owner}`,
    `tier:${tier}`,
    ...(system ? [`system:${system}`] : []),
  ]);
  const builder = new DashboardBuilder(title)
    .uid(uid)
    .description(
      `Generated from monitoring-info.yaml of ${component}; edits here are overwritten.`,
    )
    .tags(tags)
    .readonly()
    .timezone('browser')
    .time({ from: 'now-6h', to: 'now' })
    .refresh('1m')
    .annotations([])
    .withVariable(
      new DatasourceVariableBuilder('datasource')
        .label('Data source')
        .type('prometheus'),
    );
  let id = 0;
  // The builder lays panels out left to right, PANEL_WIDTH wide, starting
  // a new line when 24 columns are full and below every row.
  for (const section of sections) {
    if (section.row) builder.withRow(new RowBuilder(section.row).id(++id));
    for (const panel of section.panels) {
      builder.withPanel(timeseries(panel, ++id));
    }
  }
  return builder.build();
}

function timeseries(panel: ResolvedPanel, id: number): PanelBuilder {
  const builder = new PanelBuilder()
    .id(id)
    .title(panel.title)
    .description(panel.description)
    .datasource(datasource())
    .unit(panel.unit)
    .span(PANEL_WIDTH)
    .height(PANEL_HEIGHT)
    .legend(
      new VizLegendOptionsBuilder()
        .showLegend(true)
        .displayMode(LegendDisplayMode.List)
        .placement(LegendPlacement.Bottom)
        .calcs([]),
    )
    .withTarget(
      new DataqueryBuilder()
        .refId('A')
        .datasource(datasource())
        .expr(panel.expr)
        .legendFormat(panel.legend || panel.title),
    );
  if (panel.threshold) {
    const above = panel.threshold.operator.startsWith('>');
    builder
      .thresholds(
        new ThresholdsConfigBuilder().mode(ThresholdsMode.Absolute).steps([
          { value: null, color: above ? 'green' : 'red' },
          { value: panel.threshold.value, color: above ? 'red' : 'green' },
        ]),
      )
      .thresholdsStyle(
        new GraphThresholdsStyleConfigBuilder().mode(
          GraphThresholdsStyleMode.Line,
        ),
      );
  }
  return builder;
}
