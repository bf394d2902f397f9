/**
 * Node library of the local git hosting (githost): the repository store,
 * the service modules of other plugins use through `githostServiceRef`,
 * the URL helpers, config reading and the `github.push` event payload.
 *
 * @packageDocumentation
 */

export type {
  BranchProtectionRule,
  BranchProtectionSettings,
  GithostLimits,
  GithostSettings,
} from './config';
export {
  DEFAULT_GITHOST_LIMITS,
  branchProtectionFor,
  readGithostBaseUrl,
  readGithostLimits,
  readGithostRoot,
  readGithostSettings,
} from './config';
export { GithostUrls, parseRepositoryPath } from './urls';
export type { ParsedGithostUrl } from './urls';
export type {
  CommitDirectoryOptions,
  CommitInfo,
  CommitPerson,
  CreateRepositoryOptions,
  RefUpdate,
  RepositoryDetails,
  RepositoryBlob,
  RepositoryFile,
  RepositoryRef,
  RepositoryStore,
  RepositoryTreeEntry,
} from './services/RepositoryStore';
export { GitRepositoryStore } from './services/GitRepositoryStore';
export {
  GitCommandError,
  gitConfigEnv,
  gitEnv,
  runGit,
  runGitText,
} from './services/git';
export type { RunGitOptions } from './services/git';
export {
  ZERO_SHA,
  assertRefName,
  assertRepositoryName,
  isValidRepositoryName,
} from './services/names';
export {
  GITHUB_PUSH_TOPIC,
  MAX_PUSH_COMMITS,
  PUSH_EVENT_METADATA,
  buildPushEventPayload,
  createPushEventMetadata,
  diffRefs,
} from './services/pushEvent';
export type {
  BuildPushEventOptions,
  GithubPushCommit,
  GithubPushEventPayload,
  GithubPushRepository,
  PushEventUrls,
} from './services/pushEvent';
export {
  DefaultGithostService,
  githostServiceRef,
  publishPushEvents,
} from './services/GithostService';
export type {
  GithostService,
  PublishPushEventsOptions,
  PushEventSink,
} from './services/GithostService';
