import { PassThrough } from 'node:stream';

/** A stream that keeps what a command printed, for assertions. */
export function capture(): PassThrough & { text(): string } {
  const s = new PassThrough() as PassThrough & { text(): string };
  const chunks: string[] = [];
  s.on('data', (c: Buffer) => chunks.push(c.toString()));
  s.text = () => chunks.join('');
  return s;
}
