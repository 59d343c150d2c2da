/** Every suite lives under test/, mirroring the source tree. Type checking is done once by `tsc --noEmit`. */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  // Each file is transpiled on its own (isolatedModules, set in tsconfig.jest.json where ts-jest expects it).
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "<rootDir>/tsconfig.jest.json", diagnostics: false }] },
  testTimeout: 60000,
};
