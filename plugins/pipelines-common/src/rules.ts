import { DataPath } from '@gitops/descriptors-common';
import {
  BUILD_TEMPLATE_TYPES,
  BUILD_TEMPLATES,
  BuildTemplate,
  BuildTemplateType,
} from './templates';

/**
 * The rules of build-info.yaml that both its schema and `expandBuildInfo`
 * check, written once so that a hand-built value (which never met the
 * schema) gets the same messages as a parsed file.
 */

/** Messages of the whole-file rules. */
export const BUILD_INFO_MESSAGES = Object.freeze({
  noTemplate: 'build-info.yaml needs a "template" (or full "pipelines")',
  templateAndPipelines: 'give either "template" or "pipelines", not both',
  extendWithPipelines:
    '"extend" changes a template\'s pipelines; with full "pipelines", edit them directly',
});

/** The message for a template type that is not in the library. */
export function unknownTemplateMessage(type: unknown): string {
  const known = BUILD_TEMPLATE_TYPES.join(', ');
  return type === undefined
    ? `a template needs a "type"; known templates: ${known}`
    : `unknown build template ${JSON.stringify(
        type,
      )}; known templates: ${known}`;
}

/** A problem in the `template` map, its path relative to that map. */
export interface TemplateProblem {
  readonly path: DataPath;
  readonly message: string;
  readonly at?: 'key';
}

/**
 * A template's options with their defaults applied, or every problem with
 * them: an unknown type, options under another key than the type, unknown or
 * invalid options.
 */
export function readTemplate(template: {
  type: unknown;
  [key: string]: unknown;
}):
  | { ok: true; template: BuildTemplate; options: unknown }
  | { ok: false; problems: TemplateProblem[] } {
  if (!Object.hasOwn(BUILD_TEMPLATES, String(template.type))) {
    return {
      ok: false,
      problems: [
        { path: ['type'], message: unknownTemplateMessage(template.type) },
      ],
    };
  }
  const type = template.type as BuildTemplateType;
  const problems: TemplateProblem[] = [];
  for (const key of Object.keys(template)) {
    if (key !== 'type' && key !== type) {
      problems.push({
        path: [key],
        at: 'key',
        message: `unknown key "${key}": options of template "${type}" go under "${type}"`,
      });
    }
  }
  const buildTemplate: BuildTemplate = BUILD_TEMPLATES[type];
  const options = buildTemplate.options.safeParse(template[type] ?? {});
  if (!options.success) {
    for (const issue of options.error.issues) {
      const path = [
        type,
        ...issue.path.filter(
          (p): p is string | number => typeof p !== 'symbol',
        ),
      ];
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) {
          problems.push({
            path: [...path, key],
            at: 'key',
            message: `unknown option "${key}" of template "${type}"`,
          });
        }
      } else {
        problems.push({ path, message: issue.message });
      }
    }
  }
  return problems.length > 0 || !options.success
    ? { ok: false, problems }
    : { ok: true, template: buildTemplate, options: options.data };
}
