import {
  DescriptorSource,
  parseDescriptor,
  ParsedYamlDocument,
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
  documents?: ReadonlyArray<ParsedYamlDocument>,
): ValidateResult<MonitoringInfo> {
  return parseDescriptor(source, monitoringInfoSchema, { documents });
}
