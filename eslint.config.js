import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'data/**', 'site/dist/**', 'site/.astro/**', 'coverage/**', 'bench/out/**', 'bench/.prof-*'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      // Koa middleware and the heterogeneous route list are typed with any on purpose.
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
);
