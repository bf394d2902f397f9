export { GithubCheckRuns, type CheckRunsRunSource } from './GithubCheckRuns';
