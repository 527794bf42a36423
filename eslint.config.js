// Lint configuration. Besides the usual TypeScript rules it carries the layering rule of
// DESIGN.md §1: imports flow core <- sim <- web and core <- infra; core does no I/O
// (HOUSE-RULES 1-2). A wrong-way import or an ambient effect in core fails `npm test`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const upward = (folders) =>
  folders.flatMap((f) => [`**/${f}/**`, `**/${f}`, `../${f}/**`, `../../${f}/**`, `../../../${f}/**`]);

/** Globals and members that reach the outside world: time, randomness, timers, I/O, DOM. */
const coreBannedGlobals = [
  'setTimeout', 'setInterval', 'setImmediate', 'clearTimeout', 'clearInterval', 'queueMicrotask',
  'fetch', 'console', 'process', 'Buffer', 'window', 'document', 'navigator', 'localStorage',
  'indexedDB', 'Worker', 'XMLHttpRequest', 'WebSocket', 'require', '__dirname', '__filename',
].map((name) => ({ name, message: 'core/ is pure: effects come in through interfaces (HOUSE-RULES 2-3).' }));

const coreBannedMembers = [
  ['Date', 'now'], ['Math', 'random'], ['performance', 'now'], ['crypto', 'getRandomValues'],
  ['crypto', 'randomUUID'], ['globalThis', 'crypto'],
].map(([object, property]) => ({
  object, property, message: 'core/ is pure: take a Clock or Rng instead (HOUSE-RULES 2).',
}));

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'test-results/**', 'playwright-report/**', 'infra/cdk/cdk.out/**', '.svelte-check/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', { selector: 'TSEnumDeclaration', message: 'Use an `as const` object and a literal union (HOUSE-RULES 10).' }],
    },
  },
  {
    files: ['core/**/*.ts'],
    ignores: ['core/**/*.test.ts', 'core/**/test/**'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-globals': ['error', ...coreBannedGlobals],
      'no-restricted-properties': ['error', ...coreBannedMembers],
      'no-restricted-imports': ['error', {
        // Exact names: a pattern would also refuse core's own folders (e.g. '../crypto/hash.ts').
        paths: ['fs', 'fs/promises', 'path', 'os', 'crypto', 'worker_threads', 'child_process', 'net', 'http', 'https', 'url', 'util', 'stream']
          .map((name) => ({ name, message: 'core/ uses no Node built-ins.' })),
        patterns: [
          { group: ['node:*'], message: 'core/ uses no Node built-ins.' },
          { group: upward(['sim', 'web', 'infra', 'e2e', 'bench']), message: 'core/ imports nothing from sim/, web/, infra/, e2e/ or bench/ (DESIGN.md §1).' },
        ],
      }],
    },
  },
  {
    files: ['sim/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: upward(['web', 'infra', 'e2e']), message: 'sim/ builds on core/ only (DESIGN.md §1).' }],
      }],
    },
  },
  {
    files: ['infra/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: upward(['sim', 'web', 'e2e']), message: 'infra/ builds on core/ only (DESIGN.md §1).' }],
      }],
    },
  },
  {
    files: ['e2e/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: upward(['core', 'sim', 'web', 'infra']), message: 'e2e/ is black-box: it drives the built app and the CLI, not the code (HOUSE-RULES 1).' }],
      }],
    },
  },
  {
    files: ['**/*.test.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
