/**
 * The shape of the bundle library: what a bundle, its panels and their
 * settings are. The bundles themselves are one file each beside this one.
 */

/**
 * How a bundle setting is checked, and in which unit its value is written.
 *
 * @public
 */
export type BundleSettingKind = 'milliseconds' | 'ratio' | 'count' | 'boolean';

/**
 * A value of a bundle panel that `override` may change.
 *
 * @public
 */
export interface BundleSetting {
  readonly kind: BundleSettingKind;
  /** Value used when the panel is not overridden. */
  readonly default: number | boolean;
  readonly description: string;
}

/** PromQL comparison operators used by thresholds. @public */
export type ThresholdOperator = '>' | '<' | '>=' | '<=';

/**
 * What a bundle panel's query may select: the component's series, narrowed
 * by more matchers.
 *
 * @public
 */
export interface BundleQueryContext {
  /**
   * Label matchers (without braces) of the component's series plus `extra`,
   * written by `componentSelector` so every package queries the same series.
   */
  readonly select: (extra?: Readonly<Record<string, string>>) => string;
  /**
   * Same for series of traffic the component serves: also drops health-check
   * calls when the bundle is declared with `exclude_hm: true`.
   */
  readonly selectServed: (extra?: Readonly<Record<string, string>>) => string;
}

/**
 * One panel of a bundle: a time series with its query, unit and, when it
 * has a threshold, an alert.
 *
 * @public
 */
export interface BundlePanel {
  /** Stable id used by `override`, e.g. `grpc/server/rpc-latency`. */
  readonly id: string;
  readonly title: string;
  /** What the panel shows; also the alert description. */
  readonly description: string;
  /** Grafana unit id, e.g. `ms`, `reqps`, `percentunit`. */
  readonly unit: string;
  /** Grafana legend format. */
  readonly legend: string;
  /** The PromQL query of the panel, in the unit of `unit`. */
  readonly query: (q: BundleQueryContext) => string;
  /** Settings `override` may change, with their defaults. */
  readonly settings: Readonly<Record<string, BundleSetting>>;
  /**
   * The setting drawn as the panel's threshold line and compared by its
   * alert (`<query> <operator> <setting>`). The alert exists while the
   * panel's `alert` setting is true.
   */
  readonly threshold?: {
    readonly setting: string;
    readonly operator: ThresholdOperator;
  };
}

/**
 * A named set of panels, drawn as one dashboard row.
 *
 * @public
 */
export interface Bundle {
  readonly name: string;
  /** Row title. */
  readonly title: string;
  readonly description: string;
  /** Whether `template: <name>` may be written in monitoring-info.yaml. */
  readonly declarable: boolean;
  /** Whether `exclude_hm` applies: the bundle measures traffic it serves. */
  readonly servesTraffic: boolean;
  readonly panels: ReadonlyArray<BundlePanel>;
}
