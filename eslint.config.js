import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import shanzhi from './scripts/eslint/boundaries.js';

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
    // The dependency rule between folders (docs/ARCHITECTURE.md): core imports only core; api/
    // only core; feature folders never import api/, http/, cli/ or the entry files.
    files: ['src/**/*.ts'],
    plugins: { shanzhi },
    rules: { 'shanzhi/boundaries': 'error' },
  },
  {
    // And core does no I/O: no Node built-ins, no database or HTTP packages.
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
              group: ['kysely', 'fastify', 'pg', 'better-sqlite3', 'sharp', 'nodemailer'],
              message: 'core is pure: no database, HTTP, image or mail packages',
            },
          ],
        },
      ],
    },
  },
);
