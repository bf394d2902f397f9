import { argoPodName, fnv32a } from './podName';
import { recorded } from './__testUtils__/fakeKubernetes';

describe('argoPodName', () => {
  it('hashes like Go hash/fnv New32a (values from the Argo UI tests)', () => {
    expect(fnv32a('hello')).toBe(1335831723);
    expect(fnv32a('world')).toBe(933488787);
  });

  it('names v2 pods <workflow>-<template>-<hash of the node name>', () => {
    const node = {
      id: 'wf-123',
      name: 'wf.build-maven.step-1',
      templateName: 'build-maven-1',
    };
    expect(argoPodName('wf', node, 'v2')).toBe(
      `wf-build-maven-1-${fnv32a(node.name)}`,
    );
    expect(argoPodName('wf', node, undefined)).toBe(
      argoPodName('wf', node, 'v2'),
    );
    expect(argoPodName('wf', node, 'v1')).toBe('wf-123');
  });

  it('cuts a long prefix to leave room for the hash', () => {
    const node = { id: 'x', name: 'n', templateName: 't'.repeat(300) };
    const name = argoPodName('wf', node, 'v2');
    expect(name).toHaveLength(242 + 1 + String(fnv32a('n')).length);
  });

  it('gives the pods whose logs were recorded', () => {
    const [, , , , , last] = recorded('succeeded.workflow.json');
    const pods = Object.values(last.status.nodes as Record<string, any>)
      .filter(n => n.type === 'Pod')
      .map(n => argoPodName(last.metadata.name, n, 'v2'))
      .sort();
    expect(pods).toEqual(Object.keys(recorded('succeeded.logs.json')).sort());
  });
});
