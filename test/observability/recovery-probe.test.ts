/** recoveryProbe: while a dependency is down, check it every interval until it is back; then stop. */
import { jest } from '@jest/globals';
import { recoveryProbe } from '../../src/observability/index.js';

/** A dependency that is down, and a probe of it every second whose check counts itself and then runs `check`. */
function downWith(check: (state: { down: boolean; checks: number }) => void) {
  const state = { down: true, checks: 0 };
  const probe = recoveryProbe(
    () => state.down,
    async () => {
      state.checks++;
      check(state);
    },
    1000,
  );
  return { state, probe };
}

describe('recoveryProbe', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  test('checks while down, once per interval however often kicked, and stops when the check brings it back', async () => {
    // The first check fails (still down); the second succeeds, and its success ends the outage.
    const { state, probe } = downWith((s) => {
      if (s.checks < 2) throw new Error('connection refused');
      s.down = false;
    });
    probe.kick();
    probe.kick();
    await jest.advanceTimersByTimeAsync(1000);
    expect(state.checks).toBe(1);
    await jest.advanceTimersByTimeAsync(1000);
    expect(state).toEqual({ down: false, checks: 2 });
    await jest.advanceTimersByTimeAsync(5000);
    expect(state.checks).toBe(2);
  });

  test('an outage that ended by other work stops the probe without a check', async () => {
    const { state, probe } = downWith(() => undefined);
    probe.kick();
    state.down = false;
    await jest.advanceTimersByTimeAsync(3000);
    expect(state.checks).toBe(0);
  });
});
