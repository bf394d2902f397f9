import {
  CodeSnippet,
  EmptyState,
  WarningPanel,
} from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import type { DescriptorProblem } from '@gitops/descriptors-common';
import { formatProblemPosition } from '../../lib/format';

/** The smallest build-info.yaml: a template and its defaults. */
export const BUILD_INFO_SNIPPET = `version: 2
template: { type: nodeService }
`;

/**
 * What the tab shows for a component without a build-info.yaml: the two
 * lines that give it a build.
 *
 * @public
 */
export function BuildInfoEmptyState() {
  return (
    <EmptyState
      missing="field"
      title="No build-info.yaml"
      description="This component declares no build. Add a build-info.yaml beside catalog-info.yaml, naming one of the build templates (nodeService, javaBackend, nextjs, staticWebApp, documentation); every push then runs its pipelines here."
      action={
        <figure aria-label="build-info.yaml" style={{ margin: 0 }}>
          <Typography variant="body1" component="figcaption">
            build-info.yaml
          </Typography>
          <CodeSnippet
            text={BUILD_INFO_SNIPPET}
            language="yaml"
            showCopyCodeButton
          />
        </figure>
      }
    />
  );
}

/**
 * The positioned problems of an invalid build-info.yaml, one line each:
 * `file:line:column message`.
 *
 * @public
 */
export function BuildInfoProblems(props: {
  problems: ReadonlyArray<
    Pick<DescriptorProblem, 'file' | 'message'> & {
      line?: number;
      column?: number;
    }
  >;
  title?: string;
}) {
  const { problems, title } = props;
  return (
    <WarningPanel
      severity="error"
      defaultExpanded
      title={
        title ??
        `build-info.yaml is invalid: ${problems.length} problem${
          problems.length === 1 ? '' : 's'
        }`
      }
    >
      <ul aria-label="Problems" style={{ margin: 0, paddingLeft: 16 }}>
        {problems.map((problem, i) => (
          <li key={i}>
            <code>{formatProblemPosition(problem)}</code> {problem.message}
          </li>
        ))}
      </ul>
    </WarningPanel>
  );
}
