/**
 * What one Publish carries stays inside SNS's limits: 256 KB for body,
 * subject and attributes; Subject ASCII without line breaks, under 100
 * characters; attribute values non-empty.
 */
import type { TimelineEntry } from '../../../src/domain/index.js';
import {
  incidentPublication,
  SNS_LIMITS,
  subjectOf,
  verdictPublication,
  type Publication,
} from '../../../src/notify/sns/index.js';
import { event, T0, verdict, verdictEvent } from './events.js';

const totalBytes = (p: Publication): number =>
  Buffer.byteLength(p.message) +
  Buffer.byteLength(p.subject) +
  Object.entries(p.attributes).reduce(
    (n, [k, a]) =>
      n + Buffer.byteLength(k) + Buffer.byteLength(a.DataType ?? '') + Buffer.byteLength(a.StringValue ?? ''),
    0,
  );
const validSubject = /^[\x20-\x7E]{1,99}$/;

describe('size', () => {
  it('keeps the newest timeline entries that fit and counts the rest', () => {
    const timeline: TimelineEntry[] = Array.from({ length: 3000 }, (_, k) => ({
      at: T0 + k * 1000,
      kind: 'anomaly',
      text: `anomaly ${k} ${'é'.repeat(400)}`,
    }));
    const p = incidentPublication(event({ kind: 'updated', timeline }), null);
    const doc = JSON.parse(p.message) as { timeline: Array<{ text: string }>; timelineOmitted: number };

    expect(totalBytes(p)).toBeLessThanOrEqual(SNS_LIMITS.messageBytes);
    expect(doc.timelineOmitted).toBeGreaterThan(0);
    expect(doc.timeline.length + doc.timelineOmitted).toBe(3000);
    expect(doc.timeline.at(-1)?.text.startsWith('anomaly 2999 ')).toBe(true);
    // As many entries as fit: one more would not.
    expect(totalBytes(p)).toBeGreaterThan(SNS_LIMITS.messageBytes - SNS_LIMITS.marginBytes - 2000);
  });

  it('clips every timeline entry, so one huge entry does not crowd out the others', () => {
    const timeline: TimelineEntry[] = [{ at: T0, kind: 'note', text: 'n'.repeat(1_000_000) }];
    const doc = JSON.parse(incidentPublication(event({ timeline }), null).message) as {
      timeline: Array<{ text: string }>;
    };
    expect(doc.timeline[0]?.text).toHaveLength(SNS_LIMITS.fieldChars);
    expect(doc.timeline[0]?.text.endsWith('…')).toBe(true);
  });

  it('stays within limits for a very long service name, many services and series', () => {
    const service = 'svc-'.repeat(20_000);
    const services = Array.from({ length: 500 }, (_, k) => `${service}${k}`);
    const seriesKeys = Array.from({ length: 5000 }, (_, k) => `m{${'\n'.repeat(3000)}}${k}`);
    const p = incidentPublication(event({}, { service, services, seriesKeys }), null);
    const doc = JSON.parse(p.message) as {
      incident: {
        service: string;
        services: string[];
        servicesOmitted: number;
        series: string[];
        seriesOmitted: number;
      };
    };

    expect(totalBytes(p)).toBeLessThanOrEqual(SNS_LIMITS.messageBytes);
    expect(p.subject).toMatch(validSubject);
    expect(p.attributes['service']?.StringValue).toHaveLength(SNS_LIMITS.attributeChars);
    expect(doc.incident.service).toHaveLength(SNS_LIMITS.attributeChars);
    expect(doc.incident.services).toHaveLength(SNS_LIMITS.listItems);
    expect(doc.incident.servicesOmitted).toBe(500 - SNS_LIMITS.listItems);
    expect(doc.incident.seriesOmitted).toBe(5000 - SNS_LIMITS.listItems);
  });

  it('caps a verdict with many shifts', () => {
    const shift = verdict.shifts[0];
    if (!shift) throw new Error('fixture has a shift');
    const shifts = Array.from({ length: 200 }, (_, k) => ({ ...shift, seriesKey: `${'s'.repeat(5000)}${k}` }));
    const p = verdictPublication({ ...verdictEvent, verdict: { ...verdict, shifts } });
    const doc = JSON.parse(p.message) as { verdict: { shifts: unknown[]; shiftsOmitted: number } };
    expect(totalBytes(p)).toBeLessThanOrEqual(SNS_LIMITS.messageBytes);
    expect(doc.verdict.shifts).toHaveLength(SNS_LIMITS.listItems);
    expect(doc.verdict.shiftsOmitted).toBe(200 - SNS_LIMITS.listItems);
  });
});

describe('subject and attributes', () => {
  it('folds accents, turns line breaks into spaces and other non-ASCII into ?', () => {
    expect(subjectOf('Vigil: OPENED [high] café\r\nnext\tline ✓ 日本')).toBe(
      'Vigil: OPENED [high] cafe next line ? ??',
    );
  });

  it('clips a long subject to 99 characters with a visible cut', () => {
    const s = subjectOf(`Vigil: ${'a'.repeat(200)}`);
    expect(s).toHaveLength(99);
    expect(s.endsWith('...')).toBe(true);
  });

  it('never sends an empty subject', () => {
    expect(subjectOf('\n\n  ')).toBe('Vigil notification');
  });

  it('sanitises the subject and attributes of an incident with a hostile service name', () => {
    const p = incidentPublication(event({}, { service: 'chéckout\nprod\u0000' }), null);
    expect(p.subject).toMatch(validSubject);
    expect(p.subject).toBe('Vigil: OPENED [high] checkout prod? - latency_p99 level shift');
    expect(p.attributes['service']).toEqual({ DataType: 'String', StringValue: 'chéckout prod' });
  });

  it('never sends an empty attribute value', () => {
    const p = incidentPublication(event({}, { service: ' \u0001 ' }), null);
    expect(p.attributes['service']).toEqual({ DataType: 'String', StringValue: 'unknown' });
  });
});
