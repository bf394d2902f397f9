/** Bundle panels (`type: bundle`): a row of ready-made panels from the library. */

import { describeValue } from '@gitops/descriptors-common';
import { z } from 'zod';
import {
  Bundle,
  BundleSettingKind,
  DECLARABLE_BUNDLES,
  findBundle,
} from '../bundles';
import { isMap, must } from './checks';

/**
 * Settings of bundle panels changed by a dashboard, by panel id, e.g.
 * `{ 'grpc/server/rpc-latency': { threshold_ms: 2000 } }`.
 *
 * @public
 */
export type BundleOverrides = Readonly<
  Record<string, Readonly<Record<string, number | boolean>>>
>;

/**
 * A bundle of ready-made panels (`type: bundle`).
 *
 * @public
 */
export interface BundlePanelDeclaration {
  /** A declarable bundle of the library, e.g. `javaBackend`. */
  readonly template: string;
  readonly type: 'bundle';
  /**
   * Exclude health-check and metrics-endpoint traffic from the served
   * traffic panels and alerts (only bundles serving traffic).
   * @defaultValue false
   */
  readonly exclude_hm?: boolean;
  /** @defaultValue every setting at its default */
  readonly override?: BundleOverrides;
}

const SETTING_SCHEMAS: Record<BundleSettingKind, (name: string) => z.ZodType> =
  {
    milliseconds: name =>
      z
        .number(must(name, 'a number of milliseconds'))
        .positive(must(name, 'a number of milliseconds above 0'))
        .max(3_600_000, `${name} must be at most 3600000 (one hour)`),
    ratio: name =>
      z
        .number(must(name, 'a ratio from 0 to 1'))
        .min(0, must(name, 'a ratio from 0 to 1'))
        .max(1, must(name, 'a ratio from 0 to 1')),
    count: name =>
      z
        .number(must(name, 'a whole number'))
        .int(must(name, 'a whole number'))
        .min(0, must(name, 'a whole number from 0')),
    boolean: name => z.boolean(must(name, 'true or false')),
  };

/** Checks `override` against the panels and settings of the bundle. */
function overrideSchema(bundle: Bundle) {
  const ids = bundle.panels.map(p => p.id);
  return z
    .record(
      z.string(),
      z.unknown(),
      must('override', 'a map of panel id to settings'),
    )
    .superRefine((override, ctx) => {
      for (const [id, settings] of Object.entries(override)) {
        const panel = bundle.panels.find(p => p.id === id);
        if (!panel) {
          ctx.addIssue({
            code: 'custom',
            path: [id],
            params: { at: 'key' },
            message: `unknown panel "${id}" in bundle ${
              bundle.name
            }: expected one of ${ids.join(', ')}`,
          });
          continue;
        }
        if (!isMap(settings)) {
          ctx.addIssue({
            code: 'custom',
            path: [id],
            message: `override of ${id} must be a map of settings, got ${describeValue(
              settings,
            )}`,
          });
          continue;
        }
        const known = Object.keys(panel.settings);
        for (const [key, value] of Object.entries(settings)) {
          if (!Object.hasOwn(panel.settings, key)) {
            ctx.addIssue({
              code: 'custom',
              path: [id, key],
              params: { at: 'key' },
              message: `panel ${id} has no setting "${key}": ${
                known.length
                  ? `expected one of ${known.join(', ')}`
                  : 'it has no settings'
              }`,
            });
            continue;
          }
          const result =
            SETTING_SCHEMAS[panel.settings[key].kind](key).safeParse(value);
          if (!result.success) {
            ctx.addIssue({
              code: 'custom',
              path: [id, key],
              message: result.error.issues[0].message,
            });
          }
        }
      }
    }) as unknown as z.ZodType<BundleOverrides>;
}

/** The schema of a panel naming one bundle of the library. */
export function bundlePanelSchema(bundle: Bundle) {
  return z.strictObject({
    template: z.literal(bundle.name),
    type: z.literal('bundle', {
      error: issue =>
        issue.input === undefined
          ? `type: bundle is required for template ${bundle.name}`
          : `type must be "bundle" for template ${
              bundle.name
            }, got ${describeValue(issue.input)}`,
    }),
    exclude_hm: (bundle.servesTraffic
      ? z.boolean(must('exclude_hm', 'true or false'))
      : z.never({
          error: `exclude_hm does not apply to bundle ${
            bundle.name
          }: only bundles serving traffic (${DECLARABLE_BUNDLES.filter(
            n => findBundle(n)?.servesTraffic,
          ).join(', ')}) have health-check traffic`,
        })
    ).optional(),
    override: overrideSchema(bundle).optional(),
  });
}
