'use strict';
// The packaged task deploying on an Application Load Balancer in moto_server (MOTO_SERVER, as .ci/run exports it),
// run as the agent runs it with an AWS service connection of access keys: the trimmed zdp-task's AWS calls, and its
// journal (JSON in the listener's tags), written by one run and read back by the next.
const assert = require('node:assert/strict');
const childProcess = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { describe, it, before, after } = require('node:test');
const StreamZip = require('node-stream-zip');

const agent = require('./agent');

const vsix = process.env.ZDP_VSIX;
const motoServer = process.env.MOTO_SERVER;
const skip = !vsix ? 'ZDP_VSIX is not set: run ./build.sh TestTask'
  : !motoServer ? 'MOTO_SERVER is not set: .ci/run exports it (pip install "moto[server]==5.2.1")'
    : process.platform !== 'linux' || process.arch !== 'x64' ? 'the bundled program runs on linux-x64 here' : false;
const REGION = 'eu-west-1';
const CONNECTION = '0b8d6a4e-36a4-4bbd-9c83-7b7c0e4f1d2a';

const freePort = () => new Promise((resolve, reject) => {
  const server = net.createServer().listen(0, '127.0.0.1', () => {
    const { port } = server.address();
    server.close(() => resolve(port));
  }).on('error', reject);
});

describe('the .vsix on AWS (moto_server)', { skip }, () => {
  let moto;
  let endpoint;
  let workspace;
  let taskDirectory;
  const alb = {};

  // An AWS Query call. moto routes by the service in the credential scope and does not check the signature.
  async function query(service, version, action, parameters) {
    const body = new URLSearchParams({ Action: action, Version: version, ...parameters });
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260101/${REGION}/${service}/aws4_request, SignedHeaders=host, Signature=0`,
      },
      body,
    });
    const text = await response.text();
    assert.ok(response.ok, `${action}: HTTP ${response.status} ${text}`);
    return text;
  }
  const first = (xml, tag) => new RegExp(`<${tag}>([^<]+)</${tag}>`).exec(xml)?.[1];
  const ec2 = (action, parameters) => query('ec2', '2016-11-15', action, parameters);
  const elb = (action, parameters) => query('elasticloadbalancing', '2015-12-01', action, parameters);

  before(async () => {
    const port = await freePort();
    endpoint = `http://127.0.0.1:${port}`;
    moto = childProcess.spawn(motoServer, ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
    for (let i = 0; ; i++) {
      try {
        await elb('DescribeLoadBalancers', {});
        break;
      } catch (error) {
        if (i > 300) throw error;
        await new Promise((r) => setTimeout(r, 100));
      }
    }

    const vpc = first(await ec2('CreateVpc', { CidrBlock: '10.0.0.0/16' }), 'vpcId');
    const subnets = [];
    for (const [cidr, zone] of [['10.0.1.0/24', 'a'], ['10.0.2.0/24', 'b']]) {
      subnets.push(first(await ec2('CreateSubnet', { VpcId: vpc, CidrBlock: cidr, AvailabilityZone: REGION + zone }), 'subnetId'));
    }
    const lb = first(await elb('CreateLoadBalancer', { Name: 'shop-alb', 'Subnets.member.1': subnets[0], 'Subnets.member.2': subnets[1], Type: 'application' }), 'LoadBalancerArn');
    for (const [side, ip] of [['blue', '10.0.1.10'], ['green', '10.0.2.10']]) {
      alb[side] = first(await elb('CreateTargetGroup', { Name: `shop-${side}`, Protocol: 'HTTP', Port: '8080', VpcId: vpc, TargetType: 'ip', HealthCheckPath: '/healthz' }), 'TargetGroupArn');
      await elb('RegisterTargets', { TargetGroupArn: alb[side], 'Targets.member.1.Id': ip, 'Targets.member.1.Port': '8080' });
    }
    alb.listener = first(await elb('CreateListener', {
      LoadBalancerArn: lb, Protocol: 'HTTP', Port: '80', 'DefaultActions.member.1.Type': 'forward', 'DefaultActions.member.1.TargetGroupArn': alb.blue,
    }), 'ListenerArn');

    workspace = agent.makeAgentWorkspace();
    taskDirectory = path.join(workspace.tasks, 'Zdp_aws', '0.1.0');
    fs.mkdirSync(taskDirectory, { recursive: true });
    const zip = new StreamZip.async({ file: vsix });
    await zip.extract('ZdpTask/', taskDirectory);
    await zip.close();
    fs.writeFileSync(path.join(workspace.sources, 'zdp.yml'), `name: shop
platform:
  type: awsAlb
  awsAlb:
    region: ${REGION}
    endpointUrl: ${endpoint}
    listenerArn: ${alb.listener}
    targetGroupArns: [${alb.blue}, ${alb.green}]
strategy:
  canary:
    steps:
      - setWeight: 50
timeouts: { healthy: 30s, total: 2m }
`);
  });

  after(() => {
    moto?.kill('SIGKILL');
    if (workspace) fs.rmSync(workspace.root, { recursive: true, force: true });
  });

  const run = (command) => agent.runTask({
    taskDirectory,
    workingDirectory: workspace.sources,
    env: agent.agentEnvironment({
      inputs: { command, spec: 'zdp.yml', cloud: 'aws', awsCredentials: CONNECTION, awsRegion: REGION },
      endpoints: [{ id: CONNECTION, url: 'https://aws.amazon.com/', scheme: 'UsernamePassword', parameters: { username: 'AKIAIOSFODNN7EXAMPLE', password: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' } }],
      variables: agent.jobVariables(workspace),
      base: { PATH: process.env.PATH, HOME: workspace.root },
    }),
  });
  const result = (run) => run.commands.filter((c) => c.name === 'task.complete').map((c) => c.properties.result);

  let deploymentId;

  it('deploys a canary through the service connection and leaves all traffic on the candidate', async () => {
    const deploy = await run('deploy');
    deploymentId = /deployment (shop-\S+) promoted/.exec(deploy.stdout)?.[1];
    assert.deepEqual(result(deploy), ['Succeeded'], deploy.stdout + deploy.stderr);
    assert.match(deploy.stdout, /promoted/);
    const listener = await elb('DescribeListeners', { 'ListenerArns.member.1': alb.listener });
    assert.ok(listener.includes(alb.green), 'the listener forwards to green');
    const tags = await elb('DescribeTags', { 'ResourceArns.member.1': alb.listener });
    assert.match(tags, /zdp:journal/);
  });

  it('reads back the journal the deploy wrote', async () => {
    const status = await run('status');
    assert.deepEqual(result(status), ['Succeeded'], status.stdout + status.stderr);
    assert.ok(deploymentId, 'the deploy named its deployment');
    assert.ok(status.stdout.includes(`deployment: ${deploymentId} (canary)`), status.stdout);
    assert.match(status.stdout, /status:\s+succeeded/);
    assert.match(status.stdout, /all 3 steps done/);
  });
});
