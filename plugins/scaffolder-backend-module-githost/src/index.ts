/**
 * The scaffolder action publish:githost: publishes a new repository to the
 * local git hosting (`@gitops/plugin-githost-backend`).
 *
 * @packageDocumentation
 */

export * from './actions';
export { scaffolderModuleGithost as default } from './module';
export { scaffolderModuleGithost } from './module';
