/** Every suite lives under test/, mirroring the source tree. Type checking is done once by `tsc --noEmit`. */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  // Each file is transpiled on its own (isolatedModules, set in tsconfig.jest.json where ts-jest expects it).
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "<rootDir>/tsconfig.jest.json", diagnostics: false }] },
  testTimeout: 60000,
  // One worker per core, not Jest's default of one less: much of the suite waits on processes it
  // starts (the s3guard command, local AWS services, Pulumi's language host, Chromium), and a
  // second worker runs meanwhile. On a 2-core machine that is 2 workers instead of 1.
  maxWorkers: "100%",
};
