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
    // The web app (and lib/, which it shares) never loads the grader or isolated-vm: types only, the pure package
    // modules, and the pure modules the Run panel's in-browser kernel shares with the sandbox (no Node API, no isolate).
    files: ['app/**/*.{ts,tsx}', 'components/**/*.{ts,tsx}', 'lib/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        paths: [{ name: 'isolated-vm', message: 'The web app never loads isolated-vm: grading happens in the worker.' }],
        patterns: [{
          group: ['**/grader/*', '!**/grader/package', '!**/grader/validation-lines', '!**/grader/compile', '!**/grader/realm-hooks', '!**/grader/run-result', '!**/grader/job'],
          allowTypeImports: true,
          message: 'The web app never loads the grader: import its types, or its pure modules (package, validation-lines, compile, realm-hooks, run-result, job).',
        }],
      }],
    },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
