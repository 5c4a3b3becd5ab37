/** Every AWS action against aws-sdk-client-mock: the exact commands, their order and inputs. */
import {
  AutoScalingClient,
  DescribeAutoScalingGroupsCommand,
  SetDesiredCapacityCommand,
} from '@aws-sdk/client-auto-scaling';
import {
  BatchGetDeploymentsCommand,
  CodeDeployClient,
  CreateDeploymentCommand,
  ListDeploymentsCommand,
  StopDeploymentCommand,
} from '@aws-sdk/client-codedeploy';
import { ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import {
  GetAliasCommand,
  LambdaClient,
  ListVersionsByFunctionCommand,
  UpdateAliasCommand,
} from '@aws-sdk/client-lambda';
import { SendCommandCommand, SSMClient, StartAutomationExecutionCommand } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { ACTIONS } from '../../../src/remediate/actions/index.js';
import { ctx } from '../helpers.js';

process.env.AWS_ACCESS_KEY_ID = 'test';
process.env.AWS_SECRET_ACCESS_KEY = 'test';

const codedeploy = mockClient(CodeDeployClient);
const ecs = mockClient(ECSClient);
const asg = mockClient(AutoScalingClient);
const lambda = mockClient(LambdaClient);
const ssm = mockClient(SSMClient);
beforeEach(() => {
  for (const m of [codedeploy, ecs, asg, lambda, ssm]) m.reset();
});

const calls = (m: { calls(): Array<{ args: [{ constructor: { name: string }; input: unknown }] }> }) =>
  m.calls().map((c) => [c.args[0].constructor.name, c.args[0].input]);
const run = (name: keyof typeof ACTIONS, params: unknown) =>
  ACTIONS[name].run(ACTIONS[name].params.parse(params), ctx());

describe('CodeDeploy actions', () => {
  it('stop-with-rollback sends StopDeployment with autoRollbackEnabled', async () => {
    codedeploy.on(StopDeploymentCommand).resolves({ status: 'Succeeded', statusMessage: 'stopped' });
    const r = await run('codedeploy.stop-with-rollback', { deploymentId: 'd-ABCDEF123' });
    expect(calls(codedeploy)).toEqual([
      ['StopDeploymentCommand', { deploymentId: 'd-ABCDEF123', autoRollbackEnabled: true }],
    ]);
    expect(r).toMatchObject({ ok: true, summary: expect.stringContaining('d-ABCDEF123') });
  });

  it('stop-with-rollback reports an AWS error as a failed result', async () => {
    codedeploy
      .on(StopDeploymentCommand)
      .rejects(Object.assign(new Error('deployment is complete'), { name: 'DeploymentAlreadyCompletedException' }));
    const r = await run('codedeploy.stop-with-rollback', { deploymentId: 'd-ABCDEF123' });
    expect(r).toEqual({
      ok: false,
      summary: expect.stringContaining('DeploymentAlreadyCompletedException: deployment is complete'),
    });
  });

  it('redeploy-last-good lists succeeded deployments, picks the one completed last and redeploys its revision', async () => {
    const revision = {
      revisionType: 'S3' as const,
      s3Location: { bucket: 'b', key: 'app-41.zip', bundleType: 'zip' as const },
    };
    codedeploy.on(ListDeploymentsCommand).resolves({ deployments: ['d-OLD000001', 'd-GOOD00041'] });
    codedeploy.on(BatchGetDeploymentsCommand).resolves({
      deploymentsInfo: [
        {
          deploymentId: 'd-OLD000001',
          status: 'Succeeded',
          completeTime: new Date(1000),
          revision: { revisionType: 'S3', s3Location: { bucket: 'b', key: 'old.zip' } },
        },
        { deploymentId: 'd-GOOD00041', status: 'Succeeded', completeTime: new Date(2000), revision },
      ],
    });
    codedeploy.on(CreateDeploymentCommand).resolves({ deploymentId: 'd-NEW000042' });
    const r = await run('codedeploy.redeploy-last-good', { applicationName: 'checkout', deploymentGroupName: 'prod' });
    expect(calls(codedeploy)).toEqual([
      [
        'ListDeploymentsCommand',
        { applicationName: 'checkout', deploymentGroupName: 'prod', includeOnlyStatuses: ['Succeeded'] },
      ],
      ['BatchGetDeploymentsCommand', { deploymentIds: ['d-OLD000001', 'd-GOOD00041'] }],
      [
        'CreateDeploymentCommand',
        {
          applicationName: 'checkout',
          deploymentGroupName: 'prod',
          revision,
          description: 'vigil run run-1: redeploy of d-GOOD00041',
        },
      ],
    ]);
    expect(r).toMatchObject({ ok: true, data: { from: 'd-GOOD00041', deploymentId: 'd-NEW000042' } });
  });

  it('redeploy-last-good with no succeeded deployment creates nothing', async () => {
    codedeploy.on(ListDeploymentsCommand).resolves({ deployments: [] });
    const r = await run('codedeploy.redeploy-last-good', { applicationName: 'checkout', deploymentGroupName: 'prod' });
    expect(r.ok).toBe(false);
    expect(codedeploy.commandCalls(CreateDeploymentCommand)).toHaveLength(0);
  });
});

describe('ECS actions', () => {
  it('force-new-deployment sends UpdateService with forceNewDeployment', async () => {
    ecs.on(UpdateServiceCommand).resolves({ service: { deployments: [{}, {}] } });
    const r = await run('ecs.force-new-deployment', { cluster: 'production', service: 'checkout' });
    expect(calls(ecs)).toEqual([
      ['UpdateServiceCommand', { cluster: 'production', service: 'checkout', forceNewDeployment: true }],
    ]);
    expect(r.ok).toBe(true);
  });

  it('set-desired-count sends UpdateService with desiredCount', async () => {
    ecs.on(UpdateServiceCommand).resolves({ service: { desiredCount: 8 } });
    await run('ecs.set-desired-count', { cluster: 'production', service: 'consumer', count: 8 });
    expect(calls(ecs)).toEqual([
      ['UpdateServiceCommand', { cluster: 'production', service: 'consumer', desiredCount: 8 }],
    ]);
  });
});

describe('Auto Scaling', () => {
  it('increaseBy is clamped to the group max read by DescribeAutoScalingGroups', async () => {
    asg.on(DescribeAutoScalingGroupsCommand).resolves({
      AutoScalingGroups: [{ AutoScalingGroupName: 'web', DesiredCapacity: 5, MinSize: 2, MaxSize: 6 } as never],
    });
    const r = await run('autoscaling.set-desired-capacity', { group: 'web', increaseBy: 2 });
    expect(calls(asg)).toEqual([
      ['DescribeAutoScalingGroupsCommand', { AutoScalingGroupNames: ['web'] }],
      ['SetDesiredCapacityCommand', { AutoScalingGroupName: 'web', DesiredCapacity: 6, HonorCooldown: false }],
    ]);
    expect(r).toMatchObject({ ok: true, data: { previous: 5, desired: 6 } });
  });

  it('a capacity below the min is raised to the min; a missing group sets nothing', async () => {
    asg
      .on(DescribeAutoScalingGroupsCommand)
      .resolvesOnce({ AutoScalingGroups: [{ DesiredCapacity: 4, MinSize: 3, MaxSize: 10 } as never] })
      .resolvesOnce({ AutoScalingGroups: [] });
    await run('autoscaling.set-desired-capacity', { group: 'web', capacity: 1 });
    expect(asg.commandCalls(SetDesiredCapacityCommand)[0]!.args[0].input.DesiredCapacity).toBe(3);
    expect((await run('autoscaling.set-desired-capacity', { group: 'gone', capacity: 1 })).ok).toBe(false);
    expect(asg.commandCalls(SetDesiredCapacityCommand)).toHaveLength(1);
  });

  it('needs exactly one of capacity or increaseBy', () => {
    expect(ACTIONS['autoscaling.set-desired-capacity'].params.safeParse({ group: 'web' }).success).toBe(false);
    expect(
      ACTIONS['autoscaling.set-desired-capacity'].params.safeParse({ group: 'web', capacity: 1, increaseBy: 1 })
        .success,
    ).toBe(false);
  });
});

describe('Lambda', () => {
  it('rollback-alias moves the alias to the highest version below the current one, across pages', async () => {
    lambda.on(GetAliasCommand).resolves({ FunctionVersion: '7' });
    lambda
      .on(ListVersionsByFunctionCommand)
      .resolvesOnce({ Versions: [{ Version: '$LATEST' }, { Version: '3' }, { Version: '5' }], NextMarker: 'm1' })
      .resolvesOnce({ Versions: [{ Version: '7' }, { Version: '8' }] });
    lambda.on(UpdateAliasCommand).resolves({});
    const r = await run('lambda.rollback-alias', { functionName: 'checkout-api', alias: 'live' });
    expect(calls(lambda)).toEqual([
      ['GetAliasCommand', { FunctionName: 'checkout-api', Name: 'live' }],
      ['ListVersionsByFunctionCommand', { FunctionName: 'checkout-api' }],
      ['ListVersionsByFunctionCommand', { FunctionName: 'checkout-api', Marker: 'm1' }],
      [
        'UpdateAliasCommand',
        {
          FunctionName: 'checkout-api',
          Name: 'live',
          FunctionVersion: '5',
          RoutingConfig: { AdditionalVersionWeights: {} },
        },
      ],
    ]);
    expect(r).toMatchObject({ ok: true, data: { from: 7, to: 5 } });
  });

  it('an alias on $LATEST is not moved', async () => {
    lambda.on(GetAliasCommand).resolves({ FunctionVersion: '$LATEST' });
    expect((await run('lambda.rollback-alias', { functionName: 'f', alias: 'live' })).ok).toBe(false);
    expect(lambda.commandCalls(UpdateAliasCommand)).toHaveLength(0);
  });
});

describe('SSM', () => {
  it('run-command sends the fixed document to tagged instances', async () => {
    ssm.on(SendCommandCommand).resolves({ Command: { CommandId: 'cmd-1' } });
    const r = await run('ssm.run-command', {
      documentName: 'Vigil-DiskCleanup',
      parameters: { paths: ['/var/log/app'] },
      tag: { key: 'service', values: ['checkout'] },
    });
    expect(calls(ssm)).toEqual([
      [
        'SendCommandCommand',
        {
          DocumentName: 'Vigil-DiskCleanup',
          Parameters: { paths: ['/var/log/app'] },
          Targets: [{ Key: 'tag:service', Values: ['checkout'] }],
          MaxConcurrency: '25%',
          Comment: 'vigil run run-1 step step-1',
        },
      ],
    ]);
    expect(r).toMatchObject({ ok: true, data: { commandId: 'cmd-1' } });
  });

  it('start-automation passes a ClientToken derived from run and step (the same every retry)', async () => {
    ssm.on(StartAutomationExecutionCommand).resolves({ AutomationExecutionId: 'exec-1' });
    await run('ssm.start-automation', {
      documentName: 'Vigil-RenewCertificate',
      parameters: { Service: ['checkout'] },
    });
    await run('ssm.start-automation', {
      documentName: 'Vigil-RenewCertificate',
      parameters: { Service: ['checkout'] },
    });
    const inputs = ssm.commandCalls(StartAutomationExecutionCommand).map((c) => c.args[0].input);
    expect(inputs[0]).toEqual({
      DocumentName: 'Vigil-RenewCertificate',
      Parameters: { Service: ['checkout'] },
      ClientToken: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/),
    });
    expect(inputs[1]!.ClientToken).toBe(inputs[0]!.ClientToken);
  });

  it('shell documents and shell metacharacters in document parameters are refused', () => {
    const p = ACTIONS['ssm.run-command'].params;
    expect(
      p.safeParse({
        documentName: 'AWS-RunShellScript',
        parameters: { commands: ['df -h'] },
        instanceIds: ['i-0123456789abcdef0'],
      }).success,
    ).toBe(false);
    expect(
      p.safeParse({
        documentName: 'Vigil-DiskCleanup',
        parameters: { paths: ['/tmp; rm -rf /'] },
        instanceIds: ['i-0123456789abcdef0'],
      }).success,
    ).toBe(false);
    expect(
      p.safeParse({
        documentName: 'Vigil-DiskCleanup',
        parameters: { paths: ['/tmp\nrm'] },
        instanceIds: ['i-0123456789abcdef0'],
      }).success,
    ).toBe(false);
  });
});
