// @ts-check
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

/** Imports a layer may not make, as glob patterns over the import path, with the reason shown to whoever tries. */
const forbid = (message, ...group) => ({ group, message })

const FRAMEWORKS = forbid('The domain is plain TypeScript: declare a port in the area\'s ports.ts and let an adapter implement it.',
  'mongoose', 'mongodb', 'fastify', 'fastify-*', '@fastify/*', 'ltijs', 'jose', 'pino', 'handlebars', 'nodemailer')
const OUTER_LAYERS = forbid('The domain points inward only: routes, adapters and the composition root depend on it, never the reverse.',
  '**/persistence/**', '**/lti/**', '**/routes/**', '**/http/**', '**/auth/**', '**/jobs/**', '**/cli/**', '**/demo/**',
  '**/config', '**/app', '**/server', '**/services', '**/workers')
const SIMULATOR = forbid('The LMS simulator is for the demo, the tests and the benchmarks: production code never loads it.',
  '@mentorlink/simulator', '**/simulator/**')

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'data/**', '.cache/**', 'test-artifacts/**', 'static/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      // Module augmentation (declare module 'fastify') extends an interface with a named type and adds nothing.
      '@typescript-eslint/no-empty-object-type': ['error', { allowInterfaces: 'with-single-extends' }]
    }
  },
  {
    files: ['src/domain/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [FRAMEWORKS, OUTER_LAYERS] }] }
  },
  {
    // Adapters implement the domain's ports (type imports) but never call into its logic.
    files: ['src/persistence/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        patterns: [
          {
            regex: '/domain/(?!(.+/)?(ports|vocabulary)$)',
            message: 'Persistence implements ports: it may import the domain\'s types, ports and vocabulary, never its logic.',
            allowTypeImports: true
          },
          forbid('Persistence is called by the domain through ports, never the other way.', '**/routes/**', '**/http/**', '**/lti/**', '**/jobs/**', '**/auth/**', '**/config'),
          SIMULATOR
        ]
      }]
    }
  },
  {
    files: ['src/routes/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        patterns: [
          { ...forbid('Routes call the domain services they are given; repositories are built in the composition root (src/services.ts).', '**/persistence/**'), allowTypeImports: true },
          SIMULATOR
        ]
      }]
    }
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/domain/**', 'src/persistence/**', 'src/routes/**', 'src/demo/**'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [SIMULATOR] }] }
  },
  {
    files: ['simulator/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [forbid('The simulator is an LMS of its own: it knows Mentorlink only over HTTP.', '**/src/**', 'mentorlink')] }] }
  },
  {
    // Tests read JSON answers of any shape.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' }
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { globals: { module: 'writable', require: 'readonly', __dirname: 'readonly', process: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' }
  }
)
