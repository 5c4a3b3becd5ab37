/**
 * The SNS HTTP(S) message envelope, checked at the boundary, and the string
 * SNS signs. Pure. Field order of the signed string is the one AWS documents
 * per message type (alphabetical); Subject is signed only when present.
 */
import { z } from 'zod';

export const SNS_TYPES = ['Notification', 'SubscriptionConfirmation', 'UnsubscribeConfirmation'] as const;

const isoString = z
  .string()
  .refine((s) => Number.isFinite(Date.parse(s)), { message: 'a date-time such as 2026-01-05T10:00:00.000Z' });

const base = {
  MessageId: z.string().min(1).max(200),
  TopicArn: z.string().regex(/^arn:aws[\w-]*:sns:[\w-]+:\d+:[\w.-]+$/, 'an SNS topic ARN'),
  Message: z.string(),
  Timestamp: isoString,
  SignatureVersion: z.enum(['1', '2']),
  Signature: z.string().min(1).max(4096),
  SigningCertURL: z.string().min(1).max(2000),
};

const notification = z.object({
  ...base,
  Type: z.literal('Notification'),
  Subject: z.string().nullish(),
  UnsubscribeURL: z.string().optional(),
});

const confirmation = (type: 'SubscriptionConfirmation' | 'UnsubscribeConfirmation') =>
  z.object({
    ...base,
    Type: z.literal(type),
    SubscribeURL: z.string().min(1).max(4000),
    Token: z.string().min(1).max(4000),
  });

export const snsTypeSchema = z.object({ Type: z.enum(SNS_TYPES) });
export const snsSchemas = {
  Notification: notification,
  SubscriptionConfirmation: confirmation('SubscriptionConfirmation'),
  UnsubscribeConfirmation: confirmation('UnsubscribeConfirmation'),
} as const;

export type SnsNotification = z.output<typeof notification>;
export type SnsConfirmation = z.output<ReturnType<typeof confirmation>>;
export type SnsMessage = SnsNotification | SnsConfirmation;

/** Parses an envelope: the message, or the first problem naming its field. */
export function parseSnsMessage(body: unknown): { ok: true; message: SnsMessage } | { ok: false; error: z.ZodError } {
  const type = snsTypeSchema.safeParse(body);
  if (!type.success) return { ok: false, error: type.error };
  const parsed = snsSchemas[type.data.Type].safeParse(body);
  return parsed.success ? { ok: true, message: parsed.data } : { ok: false, error: parsed.error };
}

const NOTIFICATION_FIELDS = ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'] as const;
const CONFIRMATION_FIELDS = ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'] as const;

/** The bytes SNS signs: `name\nvalue\n` for each signed field present, in AWS's order. */
export function snsStringToSign(m: SnsMessage): string {
  const fields: readonly string[] = m.Type === 'Notification' ? NOTIFICATION_FIELDS : CONFIRMATION_FIELDS;
  const values = m as unknown as Record<string, unknown>;
  return fields
    .filter((f) => typeof values[f] === 'string')
    .map((f) => `${f}\n${values[f] as string}\n`)
    .join('');
}
