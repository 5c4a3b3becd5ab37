/**
 * @aws-sdk/client-cloudwatch, imported on first use: a process with no
 * CloudWatch source configured never loads the SDK (the AWS packages cost
 * tens of megabytes and a fraction of a second at every start).
 */
export const cloudWatchSdk = () => import('@aws-sdk/client-cloudwatch');
