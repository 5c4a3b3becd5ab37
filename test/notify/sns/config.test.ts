/** notify.sns -> the notifier: off without a topic, region from the key or the ARN, no SDK retries. */
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { regionOfTopicArn, snsClientConfig, snsNotifierFromConfig } from '../../../src/notify/sns/index.js';
import { event, TOPIC } from './events.js';

const sns = mockClient(SNSClient);
beforeEach(() => {
  sns.reset();
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
});

describe('snsNotifierFromConfig', () => {
  it('is null when no topic is configured', () => {
    expect(snsNotifierFromConfig({ topicArn: null, region: null })).toBeNull();
  });

  it("publishes to the configured topic through a client in the topic's region", async () => {
    const n = snsNotifierFromConfig({ topicArn: TOPIC, region: null });
    expect(n?.name).toBe('sns');
    expect(await n?.send(event())).toEqual({ ok: true, ref: 'm-1' });
    const call = sns.commandCalls(PublishCommand)[0];
    expect(call?.args[0].input.TopicArn).toBe(TOPIC);
    const client = call?.thisValue as SNSClient;
    expect(await client.config.region()).toBe('eu-west-1');
    expect(await client.config.maxAttempts()).toBe(1);
  });
});

describe('region', () => {
  it('reads the region from the ARN, in any partition', () => {
    expect(regionOfTopicArn(TOPIC)).toBe('eu-west-1');
    expect(regionOfTopicArn('arn:aws-us-gov:sns:us-gov-west-1:123456789012:t.fifo')).toBe('us-gov-west-1');
    expect(regionOfTopicArn('not-an-arn')).toBeNull();
  });

  it('prefers notify.sns.region over the ARN', () => {
    expect(snsClientConfig({ topicArn: TOPIC, region: 'us-east-1' })).toEqual({ region: 'us-east-1', maxAttempts: 1 });
    expect(snsClientConfig({ topicArn: TOPIC, region: null })).toEqual({ region: 'eu-west-1', maxAttempts: 1 });
  });
});
