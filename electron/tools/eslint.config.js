import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

// The layers, lowest first (README "How it fits together"). Each rule names what a folder may NOT import; a
// circle anywhere is caught by electron/tools/layers.test.ts, which walks the whole import graph.
const TESTS = ['**/*.test.ts', '**/*.test.tsx', '**/testing/**'];
const restrict = (patterns, paths = []) => ['error', { patterns, paths }];
const noElectron = { name: 'electron', message: 'Only electron/shell/ imports Electron.' };
const up = (folders, message) => ({ regex: `^(\\.\\./)+(${folders.join('|')})(/|$)`, message });

const DOMAINS = ['vm', 'engine', 'model', 'ports', 'shares', 'settings', 'hub', 'credentials', 'host', 'compose'];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'reports/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  // Tests may name Electron's types (to hand a stand-in to code that takes them); no other file may.
  { files: ['electron/**', 'renderer/**', 'vm-images/**'], ignores: [...TESTS, 'electron/shell/**'], rules: { 'no-restricted-imports': restrict([], [noElectron]) } },
  {
    files: ['electron/base/**'],
    rules: { 'no-restricted-imports': restrict([{ regex: '^\\.\\./', message: 'base/ is the leaf: it imports nothing of ours.' }], [noElectron]) },
  },
  {
    files: ['electron/protocol/**'],
    ignores: TESTS,
    rules: { 'no-restricted-imports': restrict([{ regex: '^\\.\\./(?!base/)', message: 'protocol/ imports only base/.' }], [noElectron]) },
  },
  {
    files: ['electron/contract/**'],
    ignores: TESTS,
    rules: {
      'no-restricted-imports': restrict(
        [
          { regex: '^\\.\\./(?!protocol/(spec|frames)$|base/errors$)', message: 'contract/ is Node-free: it imports only protocol/spec, protocol/frames and base/errors.' },
          { regex: '^node:', message: 'contract/ is Node-free: the renderer bundles it.' },
        ],
        [noElectron],
      ),
    },
  },
  {
    files: DOMAINS.map((d) => `electron/${d}/**`),
    ignores: TESTS,
    rules: {
      'no-restricted-imports': restrict(
        [up(['agent', 'cli', 'shell', 'tools', 'testing'], 'Domains import base/, protocol/, contract/ and each other; never agent/, cli/, shell/, tools/ or testing/.')],
        [noElectron],
      ),
    },
  },
  {
    files: ['electron/agent/**'],
    ignores: TESTS,
    rules: { 'no-restricted-imports': restrict([up(['cli', 'shell', 'tools', 'testing'], 'The agent never imports its clients (cli/, shell/) or test code.')], [noElectron]) },
  },
  {
    files: ['electron/cli/**'],
    ignores: TESTS,
    rules: { 'no-restricted-imports': restrict([up(['shell', 'tools', 'testing'], 'The CLI is a client: no shell/ or test code.')], [noElectron]) },
  },
  {
    files: ['electron/shell/**'],
    ignores: TESTS,
    rules: { 'no-restricted-imports': restrict([up(['cli', 'tools', 'testing'], 'The shell is a client of the agent; it does not import the CLI.')]) },
  },
  {
    files: ['renderer/src/**'],
    ignores: TESTS,
    rules: {
      'no-restricted-imports': restrict(
        [
          {
            regex: '(^|/)electron/(?!contract/|protocol/(client|spec|websocket)$|base/errors$)',
            message: 'The renderer reaches electron/ only through contract/, the protocol client and base/errors.',
          },
          { regex: '(^|/)vm-images/', message: 'The renderer does not import vm-images/.' },
          { regex: '^node:', message: 'The renderer runs in a browser: no Node modules.' },
        ],
        [noElectron],
      ),
    },
  },
  {
    files: ['vm-images/**'],
    rules: { 'no-restricted-imports': restrict([{ regex: '^(\\.\\./)+electron/', message: 'vm-images/ stands alone: it imports nothing from electron/.' }], [noElectron]) },
  },
);
