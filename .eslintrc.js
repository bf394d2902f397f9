module.exports = {
  root: true,
  overrides: [
    {
      files: ['**/*.test.ts', '**/*.test.tsx'],
      rules: {
        // Helpers named expect* assert too.
        'jest/expect-expect': ['warn', { assertFunctionNames: ['expect*'] }],
      },
    },
  ],
};
