/** config `queue.prefix` / VIGIL_QUEUE_PREFIX (issue 16: two deployments on one Redis took each other's jobs). */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, ConfigError } from '../../src/config/index.js';

const emptyDir = () => mkdtempSync(join(tmpdir(), 'vigil-config-'));

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('queue.prefix', () => {
  it("defaults to 'vigil', the prefix used before it was configurable", () => {
    expect(loadConfig({}, emptyDir()).queue.prefix).toBe('vigil');
  });

  it('is read from VIGIL_QUEUE_PREFIX and from vigil.yaml, the environment winning', () => {
    const dir = emptyDir();
    writeFileSync(join(dir, 'vigil.yaml'), 'queue:\n  prefix: from-file\n');
    expect(loadConfig({}, dir).queue.prefix).toBe('from-file');
    expect(loadConfig({ VIGIL_QUEUE_PREFIX: 'prod-eu.1' }, dir).queue.prefix).toBe('prod-eu.1');
  });

  it('refuses an empty value with one line naming the key, the variable and the rule', () => {
    const msg = errorOf(() => loadConfig({ VIGIL_QUEUE_PREFIX: '' }, emptyDir()));
    expect(msg).toContain('queue.prefix = ""');
    expect(msg).toContain('VIGIL_QUEUE_PREFIX');
    expect(msg).toContain('letters, digits');
    expect(msg.split('\n')).toHaveLength(1);
  });

  it.each(['a:b', 'has space', 'x{y}', 'slash/es'])('refuses %j (":" is BullMQ\'s key separator)', (bad) => {
    const msg = errorOf(() => loadConfig({ VIGIL_QUEUE_PREFIX: bad }, emptyDir()));
    expect(msg).toContain('queue.prefix');
    expect(msg).toContain('letters, digits');
  });

  it('refuses an empty string in vigil.yaml', () => {
    const dir = emptyDir();
    writeFileSync(join(dir, 'vigil.yaml'), 'queue:\n  prefix: ""\n');
    expect(errorOf(() => loadConfig({}, dir))).toContain('queue.prefix = ""');
  });
});
