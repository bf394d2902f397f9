import {
  DESCRIPTOR_MAX_DOCUMENTS,
  DescriptorSource,
  parseYaml,
  sortProblems,
  validateDocument,
  ValidateResult,
} from '@gitops/descriptors-common';
import { MonitoringInfo, monitoringInfoSchema } from './schema';

/**
 * Parses and validates a monitoring-info.yaml, reporting every problem at
 * once with its file, line and column, sorted by position.
 *
 * @public
 */
export function parseMonitoringInfo(
  source: DescriptorSource,
): ValidateResult<MonitoringInfo> {
  const parsed = parseYaml(source.path, source.text, {
    maxDocuments: DESCRIPTOR_MAX_DOCUMENTS.monitoring,
  });
  if (!parsed.ok) return { ok: false, problems: sortProblems(parsed.problems) };
  const doc = parsed.documents[0];
  if (!doc) {
    const at = { file: source.path, line: 1, column: 1, path: '' };
    return { ok: false, problems: [{ ...at, message: 'the file is empty' }] };
  }
  const result = validateDocument(doc, monitoringInfoSchema);
  return result.ok
    ? result
    : { ok: false, problems: sortProblems(result.problems) };
}
