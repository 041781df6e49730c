/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  setupFiles: ['<rootDir>/test/setup.js'],
  transform: {
    // isolatedModules (tsconfig): type checking is `tsc --noEmit`, run by `npm test` before jest.
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: { allowJs: true, module: 'commonjs', moduleResolution: 'node10' } }],
    '^.+\\.sql$': '<rootDir>/test/sqlTransform.js',
  },
  // middy 5+ ships ESM only: let ts-jest turn it into CommonJS.
  transformIgnorePatterns: ['/node_modules/(?!@middy/)'],
  moduleFileExtensions: ['ts', 'js', 'json', 'sql'],
  testTimeout: 30000,
};
