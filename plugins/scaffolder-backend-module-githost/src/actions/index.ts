export { createPublishGithostAction, parseGithostRepoUrl } from './publish';
export type { PublishGithostActionOptions } from './publish';
