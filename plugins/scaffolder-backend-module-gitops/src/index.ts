/**
 * Scaffolder actions (gitops:*) that run the suite's generators on a
 * template's workspace.
 *
 * @packageDocumentation
 */

export * from './actions';
export { scaffolderModuleGitops as default } from './module';
