/**
 * The bundle library: ready-made panels (and their alerts) a dashboard
 * includes by name, one file per bundle.
 */

import { database } from './database';
import { httpClient } from './httpClient';
import { javaBackend } from './javaBackend';
import { Bundle, BundlePanel } from './types';

export * from './types';
export {
  BUNDLE_WINDOW,
  bundleQueryContext,
  GRPC_HEALTH_SERVICE,
} from './helpers';

/**
 * The bundle library, by name.
 *
 * @public
 */
export const BUNDLES: Readonly<Record<string, Bundle>> = Object.freeze({
  javaBackend,
  'http-client': httpClient,
  database,
});

/** Names a panel's `template` may take to include a bundle. @public */
export const DECLARABLE_BUNDLES = Object.freeze(
  Object.values(BUNDLES)
    .filter(b => b.declarable)
    .map(b => b.name),
);

/** The bundle of a name, own properties only (`toString` is not a bundle). @public */
export function findBundle(name: string): Bundle | undefined {
  return Object.hasOwn(BUNDLES, name) ? BUNDLES[name] : undefined;
}

/**
 * The settings of a bundle panel: its defaults, overridden by `override`.
 *
 * @public
 */
export function panelSettings(
  panel: BundlePanel,
  override: Readonly<Record<string, number | boolean>> = {},
): Record<string, number | boolean> {
  const settings: Record<string, number | boolean> = {};
  for (const [key, setting] of Object.entries(panel.settings)) {
    settings[key] = Object.hasOwn(override, key)
      ? override[key]
      : setting.default;
  }
  return settings;
}
