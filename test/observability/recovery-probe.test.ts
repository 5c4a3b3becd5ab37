/** recoveryProbe: while a dependency is down, check it every interval until it is back; then stop. */
import { jest } from '@jest/globals';
import { recoveryProbe } from '../../src/observability/index.js';

describe('recoveryProbe', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  test('checks while down, once per interval however often kicked, and stops when the check brings it back', async () => {
    let down = true;
    let checks = 0;
    const probe = recoveryProbe(
      () => down,
      async () => {
        checks++;
        // The first check fails (still down); the second succeeds, and its success ends the outage.
        if (checks < 2) throw new Error('connection refused');
        down = false;
      },
      1000,
    );
    probe.kick();
    probe.kick();
    await jest.advanceTimersByTimeAsync(1000);
    expect(checks).toBe(1);
    await jest.advanceTimersByTimeAsync(1000);
    expect(checks).toBe(2);
    expect(down).toBe(false);
    await jest.advanceTimersByTimeAsync(5000);
    expect(checks).toBe(2);
  });

  test('an outage that ended by other work stops the probe without a check', async () => {
    let down = true;
    let checks = 0;
    const probe = recoveryProbe(
      () => down,
      async () => {
        checks++;
      },
      1000,
    );
    probe.kick();
    down = false;
    await jest.advanceTimersByTimeAsync(3000);
    expect(checks).toBe(0);
  });
});
