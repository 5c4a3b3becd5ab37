import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', '.vigil/**', 'dist/**', 'bench-out/**', 'models/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message: 'Only src/config reads process.env (DESIGN.md).',
        },
      ],
    },
  },
  {
    files: ['src/config/**', 'test/**', 'scripts/**', 'bin/**', '*.js'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
