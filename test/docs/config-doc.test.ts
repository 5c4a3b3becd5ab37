/** docs/configuration.md is generated (npm run docs:config); it must match the schema it documents. */
import { readFileSync } from 'node:fs';
import { configSchema } from '../../src/config/schema.js';
import { ENV_KEYS } from '../../src/config/load.js';
import { configRows, renderConfigDoc } from '../../scripts/config-doc.js';

describe('docs/configuration.md', () => {
  it('is what `npm run docs:config` writes today (regenerate it when this fails)', () => {
    expect(readFileSync('docs/configuration.md', 'utf8')).toBe(renderConfigDoc());
  });

  it('names every environment variable the loader reads, on the key it sets', () => {
    const rows = configRows();
    for (const [name, spec] of Object.entries(ENV_KEYS)) {
      const path = spec.path.join('.');
      const row = rows.find((r) => r.key === path || path.startsWith(`${r.key}.`));
      expect([name, row?.env]).toEqual([name, expect.stringContaining(`\`${name}\``)]);
    }
  });

  it('has one row per top-level key or section member, none twice', () => {
    const keys = configRows().map((r) => r.key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const top of Object.keys(configSchema.shape)) {
      expect([top, keys.some((k) => k === top || k.startsWith(`${top}.`))]).toEqual([top, true]);
    }
  });

  it('prints durations as written in vigil.yaml and defaults as parsed', () => {
    const byKey = new Map(configRows().map((r) => [r.key, r]));
    expect(byKey.get('incidents.resolveAfter')?.default).toBe('`15m`');
    expect(byKey.get('correlate.lookback')?.default).toBe('`2h`');
    expect(byKey.get('detection.threshold')?.default).toBe('`0.3`');
    expect(byKey.get('notify.slack.apiUrl')).toMatchObject({ env: '`SLACK_API_URL`', default: 'none' });
    expect(byKey.get('sources.replay.root')?.default).toBe('required in `sources.replay`');
  });
});
