/**
 * Local source hosting for the embedded default: bare git repositories on
 * local disk served over git's smart HTTP, push events shaped like GitHub's
 * `push` webhook, and a UrlReader for the catalog.
 *
 * @packageDocumentation
 */

export { githostPlugin as default } from './plugin';
export { githostPlugin } from './plugin';
export type { GithostSettings } from './config';
export { readGithostSettings } from './config';
export { GithostUrls } from './urls';
export type { ParsedGithostUrl } from './urls';
export type {
  CommitDirectoryOptions,
  CommitInfo,
  CommitPerson,
  CreateRepositoryOptions,
  RefUpdate,
  RepositoryDetails,
  RepositoryFile,
  RepositoryRef,
  RepositoryStore,
  RepositoryTreeEntry,
} from './services/RepositoryStore';
export { GitRepositoryStore } from './services/GitRepositoryStore';
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
export {
  GithostUrlReader,
  githostUrlReaderFactory,
} from './urlReader/GithostUrlReader';
