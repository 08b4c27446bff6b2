// One lint setup for the whole tree (typescript-eslint, type-aware).
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  // Plain JavaScript is not linted, except the admin console's browser modules (below).
  { ignores: ['node_modules/**', 'dist/**', '.local/**', 'certs-dev/out/**', 'deploy/**/lib/**', '**/*.mjs', '**/*.js', '!libs/admin-console/static/*.js'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-explicit-any': 'warn',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/libs/*/src/**', '../../libs/**'], message: 'Import a lib through its @korpu/<lib> alias.' }] }],
    },
  },
  {
    // The admin console: ES modules in the browser, type-checked by libs/admin-console/tsconfig.json (checkJs).
    files: ['libs/admin-console/static/*.js'],
    languageOptions: { sourceType: 'module', globals: globals.browser },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', { selector: "AssignmentExpression[left.property.name='innerHTML']", message: 'Untrusted text goes in as text nodes only.' }],
    },
  },
);
