// Unit tests of the bench's own support code (bench/support/*.test.ts): the unit project in
// tests/vitest.config.ts does not include bench/.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: { include: ['bench/support/**/*.test.ts'], environment: 'node' },
});
