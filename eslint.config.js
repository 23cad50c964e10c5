import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'dist/', 'web/dist/', 'test-results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'use the injected clock (src/lib/clock.ts), not new Date()' },
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'use the injected clock (src/lib/clock.ts), not Date.now()' },
      ],
    },
  },
  {
    // The clock itself, the entry points, scripts, tests and benchmarks may read the wall clock;
    // so may the web app (it runs in the browser, where the person's clock is the clock).
    files: ['src/lib/clock.ts', 'src/lib/ids.ts', 'scripts/**', 'bench/**', 'test/**', '**/*.test.ts', 'src/app/main.ts', 'web/**'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
