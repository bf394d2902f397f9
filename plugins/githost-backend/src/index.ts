/**
 * Local source hosting for the embedded default: bare git repositories on
 * local disk served over git's smart HTTP, push events shaped like GitHub's
 * `push` webhook, and a UrlReader for the catalog.
 *
 * The API other plugins' modules use (the repository store, the githost
 * service, URL helpers and the push event payload) is in
 * `@gitops/plugin-githost-node`.
 *
 * @packageDocumentation
 */

export { githostPlugin as default } from './plugin';
export { githostPlugin } from './plugin';
export {
  GithostUrlReader,
  githostUrlReaderFactory,
} from './urlReader/GithostUrlReader';
