/**
 * Uploads a PNG into a message thread with the files.uploadV2 steps:
 * files.getUploadURLExternal, a POST of the bytes to the returned URL, then
 * files.completeUploadExternal sharing it in the channel's thread.
 * Failure modes: any step throws (Web API errors as the client raises them;
 * a non-2xx upload as an Error naming the status).
 */
import type { WebClient } from './client.js';

export interface Upload {
  readonly channel: string;
  readonly threadTs: string;
  readonly filename: string;
  readonly title: string;
  readonly bytes: Buffer;
}

export async function uploadToThread(client: WebClient, u: Upload): Promise<string> {
  const target = await client.files.getUploadURLExternal({ filename: u.filename, length: u.bytes.length });
  if (!target.upload_url || !target.file_id)
    throw new Error('files.getUploadURLExternal returned no upload_url or file_id');
  const res = await fetch(target.upload_url, {
    method: 'POST',
    body: new Uint8Array(u.bytes),
    headers: { 'content-type': 'application/octet-stream' },
    signal: AbortSignal.timeout(30_000),
  });
  if (!res.ok) throw new Error(`file upload answered HTTP ${res.status}`);
  await client.files.completeUploadExternal({
    files: [{ id: target.file_id, title: u.title }],
    channel_id: u.channel,
    thread_ts: u.threadTs,
  });
  return target.file_id;
}
