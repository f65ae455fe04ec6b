import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import moduleBoundaries from './tools/eslint/module-boundaries.mjs';

export default tseslint.config(
  { ignores: ['node_modules/**', '.nx/**', 'clusters/**', 'flux/**', 'coverage/**', 'dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: {
      globals: {
        require: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
        process: 'readonly',
        console: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Who may import whom, from the Nx project tags (project.json / package.json "nx"). Apps reach
    // only the construct libraries; libraries never reach an app, the CLI or the fleet.
    files: ['**/*.ts', '**/*.js', '**/*.mjs', '**/*.cjs'],
    plugins: { 'aks-gitops': moduleBoundaries },
    rules: {
      'aks-gitops/module-boundaries': [
        'error',
        {
          constraints: [
            { sourceTag: 'type:app', under: ['src'], onlyDependOnTags: ['scope:construct'] },
            { sourceTag: 'type:app', notDependOnTags: ['type:cli', 'type:fleet'] },
            { sourceTag: 'type:lib', notDependOnTags: ['type:app', 'type:cli', 'type:fleet'] },
            { sourceTag: 'type:cli', notDependOnTags: ['type:app', 'type:fleet'] },
          ],
        },
      ],
    },
  },
);
