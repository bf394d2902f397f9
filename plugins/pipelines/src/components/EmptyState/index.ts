export {
  BUILD_INFO_SNIPPET,
  BuildInfoEmptyState,
  BuildInfoProblems,
} from './EmptyState';
