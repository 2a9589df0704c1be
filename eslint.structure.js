// Size limits every package's ESLint config applies to hand-written sources: a file holds one
// idea (at most 500 lines) and a function reads at a glance (at most 80). Tests, fixtures and
// generated code are exempt.
module.exports = {
  rules: {
    'max-lines': ['error', { max: 500 }],
    'max-lines-per-function': ['error', { max: 80 }],
  },
  overrides: [
    {
      files: [
        '**/*.test.ts',
        '**/*.test.tsx',
        '**/__fixtures__/**',
        '**/__testUtils__/**',
        '**/generated/**',
        '**/*.generated.ts',
        '**/e2e-tests/**',
      ],
      rules: { 'max-lines': 'off', 'max-lines-per-function': 'off' },
    },
  ],
};
