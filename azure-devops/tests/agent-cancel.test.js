'use strict';
// The agent's cancel sequence on Linux with real signals and its real timing (agent ProcessInvoker.cs): SIGINT to
// Node, SIGTERM 7.5 s later, SIGKILL 2.5 s after that. First against a zdp-task that does not end (a fake that logs
// the signals it receives), so the whole sequence runs; then with the packaged zdp-task deploying a canary on an ALB
// in moto_server, cancelled mid-canary. Takes about 25 s.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { it } = require('node:test');
const StreamZip = require('node-stream-zip');

const agent = require('./agent');
const launcher = require('../ZdpTask/launcher');
const moto = require('./moto');

it('passes the agent\'s SIGINT and SIGTERM on to zdp-task at the agent\'s timing, until the agent kills Node', { skip: process.platform === 'win32' ? 'POSIX signals' : false, timeout: 30000 }, async () => {
  const workspace = agent.makeAgentWorkspace();
  const taskDirectory = path.join(workspace.tasks, 'Zdp_test', '0.1.0');
  fs.mkdirSync(taskDirectory, { recursive: true });
  for (const file of ['task.json', 'index.js', 'launcher.js']) fs.copyFileSync(path.join(__dirname, '..', 'ZdpTask', file), path.join(taskDirectory, file));
  const program = launcher.programPath(taskDirectory, process.platform, process.arch);
  fs.mkdirSync(path.dirname(program), { recursive: true });
  fs.copyFileSync(path.join(__dirname, 'fixtures', 'fake-zdp-task.js'), program);

  const ready = path.join(workspace.temp, 'ready');
  const log = path.join(workspace.temp, 'signals.log');
  let childPid;
  try {
    const result = await agent.runTask({
      taskDirectory,
      workingDirectory: workspace.sources,
      env: agent.agentEnvironment({
        inputs: { command: 'deploy' },
        variables: agent.jobVariables(workspace),
        base: { PATH: process.env.PATH, FAKE_WAIT: '1', FAKE_EXIT_AFTER: '0', FAKE_READY: ready, FAKE_SIGNAL_LOG: log },
      }),
      cancelWhen: () => fs.existsSync(ready),
    });
    childPid = Number(fs.readFileSync(ready, 'utf8'));

    assert.equal(result.signal, 'SIGKILL', 'the agent had to kill Node, since zdp-task never ended');
    assert.deepEqual(Object.keys(result.cancelTimes), ['SIGINT', 'SIGTERM', 'SIGKILL']);
    const received = fs.readFileSync(log, 'utf8').trim().split('\n').map((line) => line.split(' '));
    assert.deepEqual(received.map(([signal]) => signal), ['SIGINT', 'SIGTERM']);
    // Each was passed on when the agent sent it: the gap between them at zdp-task is the agent's 7.5 s, give or take
    // the scheduling of two processes.
    const gap = Number(received[1][1]) - Number(received[0][1]);
    assert.ok(Math.abs(gap - agent.CANCEL_SIGINT_TO_SIGTERM_MS) < 1000, `SIGTERM reached zdp-task ${gap} ms after SIGINT`);
    assert.match(result.stdout, /SIGINT received; passing it to zdp-task/);
    assert.match(result.stdout, /SIGTERM received; passing it to zdp-task/);
    // The agent kills Node alone on Linux: zdp-task outlives it, which is what lets a rollback finish.
    assert.doesNotThrow(() => process.kill(childPid, 0), 'zdp-task is still alive after Node was killed');
  } finally {
    childPid ??= fs.existsSync(ready) ? Number(fs.readFileSync(ready, 'utf8')) : undefined;
    if (childPid) {
      try {
        process.kill(childPid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    fs.rmSync(workspace.root, { recursive: true, force: true });
  }
});

const vsix = process.env.ZDP_VSIX;
const motoServer = process.env.MOTO_SERVER;
const realSkip = process.platform !== 'linux' || process.arch !== 'x64' ? 'the bundled program runs on linux-x64 here'
  : !vsix ? 'ZDP_VSIX is not set: run ./build.sh TestTask'
    : !motoServer ? 'MOTO_SERVER is not set: .ci/run exports it' : false;

it('restores the listener when the agent cancels a canary with SIGINT, SIGTERM and the kill, and the journal says so', { skip: realSkip, timeout: 90000 }, async () => {
  const aws = await moto.startAlb(motoServer);
  const workspace = agent.makeAgentWorkspace();
  const hookPids = path.join(workspace.temp, 'hook.pids');
  let pids = [];
  try {
    const taskDirectory = path.join(workspace.tasks, 'Zdp_cancel', '0.1.0');
    fs.mkdirSync(taskDirectory, { recursive: true });
    const zip = new StreamZip.async({ file: vsix });
    await zip.extract('ZdpTask/', taskDirectory);
    await zip.close();
    // The postRollback hook keeps zdp-task busy past the agent's 10 s, so both signals reach a running zdp-task and
    // the agent has to kill Node; it records its own pid and zdp-task's (its parent) so the test can end them.
    fs.writeFileSync(path.join(workspace.sources, 'zdp.yml'), moto.canarySpec(aws, ['setWeight: 30', 'pause: 5m'],
      `hooks:
  postRollback:
    - name: hold
      run: echo "$$ $PPID" > ${hookPids}; sleep 30
      timeout: 40s
`));
    const env = (command) => agent.agentEnvironment({
      inputs: { command, spec: 'zdp.yml', cloud: 'aws', awsCredentials: '0b8d6a4e-36a4-4bbd-9c83-7b7c0e4f1d2a', awsRegion: moto.REGION },
      endpoints: [{ id: '0b8d6a4e-36a4-4bbd-9c83-7b7c0e4f1d2a', url: 'https://aws.amazon.com/', scheme: 'UsernamePassword', parameters: { username: 'AKIAIOSFODNN7EXAMPLE', password: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' } }],
      variables: agent.jobVariables(workspace),
      base: { PATH: process.env.PATH, HOME: workspace.root },
    });

    const result = await agent.runTask({
      taskDirectory,
      workingDirectory: workspace.sources,
      env: env('deploy'),
      cancelWhen: (out) => /##\[group\]step \d+\/\d+: pause/i.test(out),
    });

    assert.deepEqual(Object.keys(result.cancelTimes), ['SIGINT', 'SIGTERM', 'SIGKILL'], result.stdout);
    assert.equal(result.signal, 'SIGKILL', 'the agent had to kill Node');
    assert.match(result.stdout, /SIGINT received; passing it to zdp-task/);
    assert.match(result.stdout, /SIGTERM received; passing it to zdp-task/);
    assert.match(result.stdout, /rolling back/);
    pids = fs.readFileSync(hookPids, 'utf8').trim().split(' ').map(Number);

    // The starting state: everything on blue, nothing on green.
    const weights = await aws.weights();
    assert.ok(!(weights[aws.alb.green] > 0), `green still gets traffic: ${JSON.stringify(weights)}`);
    assert.ok(weights[aws.alb.blue] > 0, `blue gets no traffic: ${JSON.stringify(weights)}`);

    // A later run of the task reads the journal the cancelled one left.
    for (const pid of pids) {
      try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
    }
    const status = await agent.runTask({ taskDirectory, workingDirectory: workspace.sources, env: env('status') });
    assert.match(status.stdout, /status:\s+(rolled back|cancelled)/, status.stdout);
  } finally {
    if (!pids.length && fs.existsSync(hookPids)) pids = fs.readFileSync(hookPids, 'utf8').trim().split(' ').map(Number);
    for (const pid of pids) {
      try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
    }
    aws.stop();
    fs.rmSync(workspace.root, { recursive: true, force: true });
  }
});
