import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

/** Node's CommonJS globals, for the few plain .js files (bin shim, jest config). */
const commonJsGlobals = {
  require: 'readonly',
  module: 'writable',
  exports: 'writable',
  __dirname: 'readonly',
  __filename: 'readonly',
  process: 'readonly',
  console: 'readonly',
};

export default defineConfig(
  { ignores: ['node_modules/', 'dist/', '.next/', '.next-*/', 'coverage/', 'lib/generated/', '.data/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    // A method that ignores an argument its override uses names it with a leading underscore.
    rules: { '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }] },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: commonJsGlobals },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Student-style programs and exercise tests take `sys` untyped, as students' first programs do.
    files: ['exercises/**/*.ts', 'test/hostile/**/*.ts', 'test/class/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // The web app (and lib/, which it shares) never loads the grader or isolated-vm: its types only. What both sides run
    // (the package schema, validation lines, the compiler, the realm's hooks, run results) lives in common/.
    files: ['app/**/*.{ts,tsx}', 'components/**/*.{ts,tsx}', 'lib/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        paths: [{ name: 'isolated-vm', message: 'The web app never loads isolated-vm: grading happens in the worker.' }],
        patterns: [{
          group: ['**/grader/*'],
          allowTypeImports: true,
          message: 'The web app never loads the grader: import its types, or what both sides share from common/.',
        }],
      }],
    },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
