/** The Notifier conformance suite on the SNS notifier, against aws-sdk-client-mock (a standard and a FIFO topic). */
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { createSnsNotifier } from '../../../src/notify/sns/index.js';
import { notifierConformance } from '../conformance.js';
import { FIFO_TOPIC, TOPIC } from './events.js';

const sns = mockClient(SNSClient);
let id = 0;
beforeEach(() => {
  sns.reset();
  sns.on(PublishCommand).callsFake(() => ({ MessageId: `msg-${++id}` }));
});

const awsError = (name: string, status: number) =>
  Object.assign(new Error(`${name} from SNS`), { name, $metadata: { httpStatusCode: status } });
const failing = (err: Error) => async () => {
  sns.reset();
  sns.on(PublishCommand).rejects(err);
  return createSnsNotifier({ client: new SNSClient({ region: 'eu-west-1' }), topicArn: TOPIC });
};

for (const topicArn of [TOPIC, FIFO_TOPIC]) {
  notifierConformance(
    `sns (${topicArn.endsWith('.fifo') ? 'FIFO' : 'standard'} topic)`,
    async () => createSnsNotifier({ client: new SNSClient({ region: 'eu-west-1' }), topicArn }),
    {
      verdicts: true,
      failures: [
        { name: 'throttled', retryable: true, arrange: failing(awsError('ThrottlingException', 400)) },
        { name: 'a 500', retryable: true, arrange: failing(awsError('InternalErrorException', 500)) },
        { name: 'not authorised', retryable: false, arrange: failing(awsError('AuthorizationErrorException', 403)) },
        { name: 'topic not found', retryable: false, arrange: failing(awsError('NotFoundException', 404)) },
      ],
    },
  );
}
