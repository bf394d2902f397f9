export { createPublishGithostAction, parseGithostRepoUrl } from './publish';
