// ESM + @swc/jest: sources are TypeScript with NodeNext ".js" import suffixes,
// mapped back to the .ts files here. Type-checking is `npm run typecheck`.
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // The fault tests (real Redis, PostgreSQL and Vigil processes; minutes) run
  // only through `npm run test:faults`, which replaces this list.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/faults/'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'es6' },
      },
    ],
  },
  testTimeout: 60000,
};
