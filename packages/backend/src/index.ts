/*
 * The suite's backend: Backstage's own plugins plus the suite's plugins and
 * modules. Wiring only; every piece documents its config in its package.
 */

import { createBackend } from '@backstage/backend-defaults';
import { githostUrlReaderFactory } from '@gitops/plugin-githost-backend';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));
backend.add(import('@backstage/plugin-proxy-backend'));

// events: push events from the local git hosting and GitHub webhooks
backend.add(import('@backstage/plugin-events-backend'));
// GitHub webhooks at /api/events/http/github, signature-checked with
// events.modules.github.webhookSecret (no secret: no route), routed to
// github.<event> (github.push)
backend.add(import('@backstage/plugin-events-backend-module-github'));
// each X-GitHub-Delivery published once; malformed JSON answered with 400
backend.add(import('@gitops/plugin-events-backend-module-github-dedup'));

// local git hosting: repositories over smart HTTP, push events, a UrlReader
backend.add(import('@gitops/plugin-githost-backend'));
backend.add(githostUrlReaderFactory);
// publish:githost
backend.add(import('@gitops/plugin-scaffolder-backend-module-githost'));

// scaffolder plugin
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(import('@backstage/plugin-scaffolder-backend-module-github'));
backend.add(
  import('@backstage/plugin-scaffolder-backend-module-notifications'),
);
// gitops:* actions: validate descriptors, expand pipelines, render deployments, generate monitoring
backend.add(import('@gitops/plugin-scaffolder-backend-module-gitops'));
// the same generators as actions of the actions registry (gitops:validate-descriptors,
// gitops:expand-pipeline, ...), offered to MCP clients by the mcp actions plugin
backend.add(import('@gitops/plugin-gitops-backend'));

// pipelines: every push runs its build (build-info.yaml), on the local
// executor (bubblewrap sandbox) by default; runs, logs and test results for
// the CI/CD tab at /api/pipelines
backend.add(import('@gitops/plugin-pipelines-backend'));
// the Argo Workflows executor (pipelines.executor: argo); inert without
// pipelines.argo, so the local executor stays the default
backend.add(import('@gitops/plugin-pipelines-backend-module-argo'));

// techdocs plugin
backend.add(import('@backstage/plugin-techdocs-backend'));

// auth plugin
backend.add(import('@backstage/plugin-auth-backend'));
// See https://backstage.io/docs/backend-system/building-backends/migrating#the-auth-plugin
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
// See https://backstage.io/docs/auth/guest/provider

// catalog plugin
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);

// descriptors beside catalog-info.yaml: validation, annotations, Resources from kubernetes/
backend.add(import('@gitops/plugin-catalog-backend-module-gitops'));

// See https://backstage.io/docs/features/software-catalog/configuration#subscribing-to-catalog-errors
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));

// permission plugin
backend.add(import('@backstage/plugin-permission-backend'));
// the suite's policy: reads and templates for every signed-in user, entity
// writes for owners, tasks for their creator, the rest for the platform
// group (gitops.permissions.platformGroup)
backend.add(import('@gitops/plugin-permission-backend-module-gitops-policy'));

// search plugin
backend.add(import('@backstage/plugin-search-backend'));

// search engine
// See https://backstage.io/docs/features/search/search-engines
backend.add(import('@backstage/plugin-search-backend-module-pg'));

// search collators
backend.add(import('@backstage/plugin-search-backend-module-catalog'));
backend.add(import('@backstage/plugin-search-backend-module-techdocs'));

// kubernetes plugin
backend.add(import('@backstage/plugin-kubernetes-backend'));

// user settings plugin
backend.add(import('@backstage/plugin-user-settings-backend'));

// notifications and signals plugins
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));

// mcp actions plugin
backend.add(import('@backstage/plugin-mcp-actions-backend'));

backend.start();
