import { InfoCard } from '@backstage/core-components';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import type { TestReport } from '@gitops/plugin-pipelines-common';

/** The counts of a run's JUnit reports and its failing tests. */
export function TestResults(props: { tests: TestReport }) {
  const { tests } = props;
  return (
    <InfoCard title="Tests">
      <Typography variant="body1" aria-label="Test counts">
        {tests.passed} passed, {tests.failed} failed, {tests.skipped} skipped
      </Typography>
      {tests.failures.length > 0 && (
        <List dense aria-label="Failing tests">
          {tests.failures.map((failure, i) => (
            <ListItem key={i} alignItems="flex-start">
              <ListItemText
                primary={
                  failure.suite
                    ? `${failure.suite} › ${failure.name}`
                    : failure.name
                }
                secondary={
                  failure.message ? (
                    <pre style={{ whiteSpace: 'pre-wrap', margin: 0 }}>
                      {failure.message}
                    </pre>
                  ) : undefined
                }
                secondaryTypographyProps={{ component: 'div' } as any}
              />
            </ListItem>
          ))}
        </List>
      )}
    </InfoCard>
  );
}
