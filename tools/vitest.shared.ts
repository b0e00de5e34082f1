/** The test settings every meta-id package shares. */
export function packageTestConfig(overrides: { testTimeout?: number } = {}) {
  return {
    test: {
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      testTimeout: overrides.testTimeout ?? 60_000,
      pool: 'forks' as const,
    },
  };
}
