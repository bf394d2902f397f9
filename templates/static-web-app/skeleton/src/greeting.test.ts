import assert from 'node:assert/strict';
import { test } from 'node:test';
import { greeting } from './greeting.ts';

test('greets by name', () => {
  assert.equal(greeting(' Ada '), 'Hello, Ada!');
});

test('greets nobody in particular without a name', () => {
  assert.equal(greeting('   '), 'Hello!');
});
