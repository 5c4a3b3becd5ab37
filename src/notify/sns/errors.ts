/**
 * Classifies Publish failures for the notify stage: throttling, SNS/KMS
 * internal errors, 5xx and network failures are retryable; refused
 * credentials or permissions, a missing topic and a rejected message are not
 * (repeating them changes nothing). Messages name the topic and never carry
 * an access key id. Pure.
 */
export interface SnsFailure {
  readonly retryable: boolean;
  readonly message: string;
}

const THROTTLED = new Set([
  'ThrottledException',
  'Throttling',
  'ThrottlingException',
  'KMSThrottlingException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'SlowDown',
]);
const REFUSED = new Set([
  'AuthorizationErrorException',
  'AuthorizationError',
  'AccessDenied',
  'AccessDeniedException',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'ExpiredToken',
  'ExpiredTokenException',
  'SignatureDoesNotMatch',
  'InvalidSignatureException',
  'IncompleteSignature',
  'MissingAuthenticationToken',
  'CredentialsProviderError',
  'InvalidSecurityException',
  'KMSAccessDeniedException',
  'KMSDisabledException',
  'KMSInvalidStateException',
  'KMSNotFoundException',
  'KMSOptInRequired',
]);
const NOT_FOUND = new Set(['NotFoundException', 'NotFound', 'ResourceNotFoundException']);
const REJECTED = new Set([
  'InvalidParameterException',
  'InvalidParameter',
  'InvalidParameterValueException',
  'ValidationException',
  'ValidationError',
  'InvalidParameterValue',
]);

interface AwsLike {
  name?: string;
  message?: string;
  $fault?: string;
  $metadata?: { httpStatusCode?: number };
}

const mask = (text: string): string => text.replace(/\b(?:AKIA|ASIA)[A-Z0-9]{12,}\b/g, '<access-key-id>');

export function classify(err: unknown, topicArn: string): SnsFailure {
  const e = (typeof err === 'object' && err !== null ? err : {}) as AwsLike;
  const name = e.name ?? 'Error';
  const status = e.$metadata?.httpStatusCode;
  const detail = mask(e.message ?? String(err));
  const http = status !== undefined ? `, HTTP ${status}` : '';
  if (THROTTLED.has(name) || status === 429) {
    return { retryable: true, message: `SNS throttled Publish to ${topicArn} (${name}${http})` };
  }
  if (REFUSED.has(name) || status === 401 || status === 403) {
    // AWS's own text is dropped: signature errors echo the access key id.
    return {
      retryable: false,
      message: `SNS refused Publish to ${topicArn} (${name}${http}): check the AWS credentials and that the IAM policy allows sns:Publish on the topic (and kms:GenerateDataKey and kms:Decrypt on its key, if it is encrypted)`,
    };
  }
  if (NOT_FOUND.has(name) || status === 404) {
    return {
      retryable: false,
      message: `SNS topic ${topicArn} was not found (${name}${http}): check notify.sns.topicArn and that notify.sns.region is the topic's region`,
    };
  }
  if (REJECTED.has(name)) {
    return { retryable: false, message: `SNS rejected the message for ${topicArn} (${name}): ${detail}` };
  }
  if (e.$fault === 'server' || (status !== undefined && status >= 500)) {
    return { retryable: true, message: `SNS failed Publish to ${topicArn} (${name}${http}): ${detail}` };
  }
  if (status !== undefined && status >= 400) {
    return { retryable: false, message: `SNS rejected Publish to ${topicArn} (${name}${http}): ${detail}` };
  }
  // No HTTP answer (network, timeout) or unknown: the outcome is uncertain, so try again.
  return { retryable: true, message: `Publish to ${topicArn} failed (${name}): ${detail}` };
}
