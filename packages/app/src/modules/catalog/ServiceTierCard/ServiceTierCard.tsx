import { EntityInfoCard, useEntity } from '@backstage/plugin-catalog-react';
import { Flex, Text } from '@backstage/ui';
import { serviceTierView } from './serviceTier';

/**
 * The component's service tier (`4: Low criticality`), which sets its alert
 * routing and canary strictness, and the descriptor files the catalog found
 * beside its catalog-info.yaml.
 *
 * @public
 */
export function ServiceTierCard() {
  const { entity } = useEntity();
  const view = serviceTierView(entity);
  if (!view) return null;
  return (
    <EntityInfoCard title="Service tier">
      <Flex direction="column" gap="4">
        <Flex direction="column" gap="1">
          {view.tier.valid ? (
            <Text variant="title-small" weight="bold">
              {view.tier.label}
            </Text>
          ) : (
            <Text variant="body-medium" color="danger">
              {`"${view.tier.declared}" is not a service tier (1 to 4)`}
            </Text>
          )}
          <Text variant="body-small" color="secondary">
            {`from the ${view.source} annotation`}
          </Text>
        </Flex>
        {view.descriptors.length > 0 && (
          <Flex direction="column" gap="1">
            <Text variant="body-small" weight="bold" color="secondary">
              Descriptor files
            </Text>
            <ul
              aria-label="Descriptor files"
              style={{ margin: 0, paddingLeft: 20 }}
            >
              {view.descriptors.map(d => (
                <li key={d.file}>
                  <Text variant="body-medium">
                    <code>{d.file}</code>
                    {`: ${d.summary}`}
                  </Text>
                </li>
              ))}
            </ul>
          </Flex>
        )}
      </Flex>
    </EntityInfoCard>
  );
}
