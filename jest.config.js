const nextJest = require('next/jest');

const createJestConfig = nextJest({ dir: './' });

module.exports = createJestConfig({
  testEnvironment: 'node',
  testMatch: ['<rootDir>/{kernel,grader,bin,test,components}/**/*.test.ts', '<rootDir>/lib/**/*.test.ts'],
  // Tests start real isolates and child processes; a cold machine needs the headroom.
  testTimeout: 60_000,
  // Jest's default on 2 cores is one worker, in band: two let the heavy files (the pack's two halves) run side by side.
  maxWorkers: 2,
});
