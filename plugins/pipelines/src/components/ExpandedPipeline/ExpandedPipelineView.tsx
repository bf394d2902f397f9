import { useState } from 'react';
import { CodeSnippet, InfoCard } from '@backstage/core-components';
import Tab from '@material-ui/core/Tab';
import Tabs from '@material-ui/core/Tabs';
import Typography from '@material-ui/core/Typography';
import type { ExpandedPipeline } from '../../api';

const FORMATS = [
  { key: 'yaml', label: 'Pipeline' },
  { key: 'githubActions', label: 'GitHub Actions' },
  { key: 'argoWorkflows', label: 'Argo Workflows' },
] as const;

/**
 * What build-info.yaml expands into: the template and the options used,
 * and the full pipeline, GitHub Actions and Argo Workflows YAML.
 *
 * @public
 */
export function ExpandedPipelineView(props: { expansion: ExpandedPipeline }) {
  const { expansion } = props;
  const [tab, setTab] = useState(0);
  const format = FORMATS[tab];
  const text = expansion[format.key];
  const options = Object.entries(expansion.origin?.options ?? {});

  return (
    <InfoCard
      title="Expanded pipeline"
      subheader={`build-info.yaml at ${expansion.ref}${
        expansion.sha ? ` (${expansion.sha.slice(0, 7)})` : ''
      }`}
    >
      {expansion.origin && (
        <Typography variant="body1" gutterBottom>
          {expansion.origin.template === 'custom' ? (
            'Written out in full (no template).'
          ) : (
            <>
              Expanded from template <code>{expansion.origin.template}</code>
            </>
          )}
        </Typography>
      )}
      {options.length > 0 && (
        <ul aria-label="Template options">
          {options.map(([name, value]) => (
            <li key={name}>
              <code>{name}</code>: {JSON.stringify(value)}
            </li>
          ))}
        </ul>
      )}
      <Tabs
        value={tab}
        onChange={(_e, value: number) => setTab(value)}
        indicatorColor="primary"
        aria-label="Formats"
      >
        {FORMATS.map(f => (
          <Tab key={f.key} label={f.label} />
        ))}
      </Tabs>
      <div role="tabpanel" aria-label={format.label}>
        {text ? (
          <CodeSnippet text={text} language="yaml" showCopyCodeButton />
        ) : (
          <Typography color="textSecondary">
            Not available for this pipeline.
          </Typography>
        )}
      </div>
    </InfoCard>
  );
}
