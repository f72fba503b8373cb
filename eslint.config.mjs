// Lint: typescript-eslint recommended, plus the house rules that keep pure modules pure.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const pureRule = {
  'no-restricted-imports': ['error', {
    patterns: [
      { group: ['vscode', 'sharp', 'onnxruntime-node', 'onnxruntime-web', 'node:*', 'fs', 'path', 'os', 'zlib', 'worker_threads', 'child_process', 'crypto'], message: 'pure modules (src/shared, src/algorithms) import no vscode, native or node modules' },
    ],
  }],
};

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'out/**', 'test/harness/tools/**', '.run/**', '**/*.min.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module', globals: { console: 'readonly', process: 'readonly', require: 'readonly', module: 'writable', __dirname: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', URL: 'readonly', performance: 'readonly', TextEncoder: 'readonly', TextDecoder: 'readonly', globalThis: 'readonly', structuredClone: 'readonly', queueMicrotask: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-require-imports': 'off',
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  { files: ['src/shared/**/*.ts', 'src/algorithms/**/*.ts', 'src/formats/**/*.ts'], rules: pureRule },
  { files: ['webview/**/*.ts'], rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['vscode', 'sharp', 'onnxruntime-node', 'node:*', 'fs', 'path'], message: 'the webview runs in a browser' }] }] } },
  { files: ['**/*.js', '**/*.mjs', '**/*.cjs'], rules: { '@typescript-eslint/no-var-requires': 'off' } },
);
