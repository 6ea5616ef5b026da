'use strict';
// The agent's cancel sequence on Linux with real signals and its real timing (agent ProcessInvoker.cs): SIGINT to
// Node, SIGTERM 7.5 s later, SIGKILL 2.5 s after that, against a zdp-task that does not end (a fake that logs the
// signals it receives), so the whole sequence runs. Takes 10 s.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { it } = require('node:test');

const agent = require('./agent');
const launcher = require('../ZdpTask/launcher');

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
