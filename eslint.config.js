import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'dist/', 'web/dist/', 'bench/results/', '.tmp/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
    rules: {
      // TypeScript checks undefined names itself, with Node's globals from @types/node.
      'no-undef': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The dependency rule: core holds pure rules and imports nothing that does I/O.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'fs', 'path', 'http', 'net', 'child_process'],
              message: 'core is pure: no I/O',
            },
            {
              group: [
                '**/db/**',
                '**/http/**',
                '**/cli/**',
                '**/demo/**',
                'kysely',
                'fastify',
                'pg',
                'better-sqlite3',
              ],
              message: 'core depends on nothing outside core',
            },
          ],
        },
      ],
    },
  },
);
