import assert from 'node:assert/strict';
import { test } from 'node:test';
import { greeting } from './greeting.ts';

test('greets by name for the time of day', () => {
  assert.equal(
    greeting('Ada', new Date('2026-01-01T09:00:00Z')),
    'Good morning, Ada!',
  );
  assert.equal(
    greeting(undefined, new Date('2026-01-01T20:00:00Z')),
    'Good evening, there!',
  );
});

test('keeps names short', () => {
  const long = 'x'.repeat(500);
  assert.equal(
    greeting(long, new Date(0)).length,
    'Good morning, !'.length + 100,
  );
});
