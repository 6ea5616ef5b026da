'use strict';
// The packaged task deploying on an Application Load Balancer in moto_server (MOTO_SERVER, as .ci/run exports it),
// run as the agent runs it with an AWS service connection of access keys: the trimmed zdp-task's AWS calls, and its
// journal (JSON in the listener's tags), written by one run and read back by the next.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { describe, it, before, after } = require('node:test');
const StreamZip = require('node-stream-zip');

const agent = require('./agent');
const moto = require('./moto');

const vsix = process.env.ZDP_VSIX;
const motoServer = process.env.MOTO_SERVER;
const skip = !vsix ? 'ZDP_VSIX is not set: run ./build.sh TestTask'
  : !motoServer ? 'MOTO_SERVER is not set: .ci/run exports it (pip install "moto[server]==5.2.1")'
    : process.platform !== 'linux' || process.arch !== 'x64' ? 'the bundled program runs on linux-x64 here' : false;
const CONNECTION = '0b8d6a4e-36a4-4bbd-9c83-7b7c0e4f1d2a';

describe('the .vsix on AWS (moto_server)', { skip }, () => {
  let aws;
  let workspace;
  let taskDirectory;

  before(async () => {
    aws = await moto.startAlb(motoServer);
    workspace = agent.makeAgentWorkspace();
    taskDirectory = path.join(workspace.tasks, 'Zdp_aws', '0.1.0');
    fs.mkdirSync(taskDirectory, { recursive: true });
    const zip = new StreamZip.async({ file: vsix });
    await zip.extract('ZdpTask/', taskDirectory);
    await zip.close();
    fs.writeFileSync(path.join(workspace.sources, 'zdp.yml'), moto.canarySpec(aws, ['setWeight: 50']));
  });

  after(() => {
    aws?.stop();
    if (workspace) fs.rmSync(workspace.root, { recursive: true, force: true });
  });

  const run = (command) => agent.runTask({
    taskDirectory,
    workingDirectory: workspace.sources,
    env: agent.agentEnvironment({
      inputs: { command, spec: 'zdp.yml', cloud: 'aws', awsCredentials: CONNECTION, awsRegion: moto.REGION },
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
    const listener = await aws.elb('DescribeListeners', { 'ListenerArns.member.1': aws.alb.listener });
    assert.ok(listener.includes(aws.alb.green), 'the listener forwards to green');
    const tags = await aws.elb('DescribeTags', { 'ResourceArns.member.1': aws.alb.listener });
    assert.match(tags, /zdp:journal/);
    // The hosting layer's outputs and summary, from the trimmed program.
    const id = deploy.commands.find((c) => c.name === 'task.setvariable' && c.properties.variable === 'deploymentId');
    assert.equal(id.data, deploymentId);
    const summary = deploy.commands.find((c) => c.name === 'task.uploadsummary');
    assert.match(fs.readFileSync(summary.data, 'utf8'), /^## ✅ zdp deploy: shop — promoted/);
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
