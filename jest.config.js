/** swc strips types file by file (no type-check: `npm test` runs `tsc --noEmit` first, with isolatedModules on). */
const swc = (syntax) => ['@swc/jest', {
  swcrc: false,
  sourceMaps: 'inline',
  module: { type: 'commonjs' },
  jsc: { target: 'es2022', parser: syntax === 'typescript' ? { syntax } : { syntax: 'ecmascript' } }
}]

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': swc('typescript'), '^.+\\.js$': swc('ecmascript') },
  // A few dependencies ship ESM only; jest's CommonJS runtime needs them transpiled.
  transformIgnorePatterns: ['/node_modules/(?!(.*/node_modules/)?(cookie|content-disposition)/)'],
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  testTimeout: 60000,
  maxWorkers: 3
}
