import os from 'node:os';
import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import { readLocalExecutorConfig } from './config';

describe('readLocalExecutorConfig', () => {
  it('applies the defaults', () => {
    expect(readLocalExecutorConfig(new ConfigReader({}))).toEqual({
      workDir: path.join(os.tmpdir(), 'gitops-pipelines'),
      keepWorkspaces: false,
      stepTimeoutMs: 1_800_000,
      maxOutputBytes: 10 * 1024 * 1024,
      junitReports: ['reports/junit*.xml'],
      actions: new Map(),
    });
  });

  it('reads every key', () => {
    const settings = readLocalExecutorConfig(
      new ConfigReader({
        pipelines: {
          local: {
            workDir: '/var/tmp/builds',
            keepWorkspaces: true,
            stepTimeoutSeconds: 60,
            maxOutputBytes: 2048,
            junitReports: ['target/surefire-reports/*.xml'],
            actions: {
              'action-containers/techdocs': {
                command: ['/opt/techdocs/bin/techdocs-cli'],
                tools: ['/opt/techdocs'],
                network: false,
                env: { PYTHONDONTWRITEBYTECODE: '1' },
                description: 'TechDocs from /opt',
              },
            },
          },
        },
      }),
    );
    expect(settings).toEqual({
      workDir: '/var/tmp/builds',
      keepWorkspaces: true,
      stepTimeoutMs: 60_000,
      maxOutputBytes: 2048,
      junitReports: ['target/surefire-reports/*.xml'],
      actions: new Map([
        [
          'action-containers/techdocs',
          {
            command: ['/opt/techdocs/bin/techdocs-cli'],
            tools: ['/opt/techdocs'],
            network: false,
            env: { PYTHONDONTWRITEBYTECODE: '1' },
            description: 'TechDocs from /opt',
          },
        ],
      ]),
    });
  });

  it('reports every problem at once, each with its key', () => {
    expect(() =>
      readLocalExecutorConfig(
        new ConfigReader({
          pipelines: {
            local: {
              stepTimeoutSeconds: 0,
              maxOutputBytes: 10,
              junitReports: ['../outside.xml'],
              actions: {
                'action-containers/x': {
                  command: [],
                  tools: ['relative'],
                  env: { 'BAD-NAME': 'v' },
                },
              },
            },
          },
        }),
      ),
    ).toThrow(
      [
        'Invalid local executor configuration:',
        '- pipelines.local.stepTimeoutSeconds must be a positive number of seconds, got 0',
        '- pipelines.local.maxOutputBytes must be a whole number of bytes, at least 1024, got 10',
        '- pipelines.local.junitReports entry "../outside.xml" must be a relative path inside the workspace',
        '- pipelines.local.actions["action-containers/x"].command must be a non-empty list of non-empty strings (the argument vector\'s start)',
        '- pipelines.local.actions["action-containers/x"].tools entry "relative" must be an absolute path',
        '- pipelines.local.actions["action-containers/x"].env key "BAD-NAME" must be a variable name',
      ].join('\n'),
    );
  });
});
