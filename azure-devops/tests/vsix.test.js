'use strict';
// The packaged extension (ZDP_VSIX, built by ./build.sh PackTask): its contents, then its task run exactly as the
// agent runs it (tests/agent.js), with the real bundled zdp-task, against the simulated platform.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { describe, it, before, after } = require('node:test');
const StreamZip = require('node-stream-zip');

const agent = require('./agent');
const launcher = require('../ZdpTask/launcher');

const vsix = process.env.ZDP_VSIX;
const skip = vsix ? false : 'ZDP_VSIX is not set: run ./build.sh TestTask, which builds the .vsix first';
const sourceTask = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'ZdpTask', 'task.json'), 'utf8'));
const VSIX_SIZE_LIMIT = 26214400;

const CANARY = `name: shop
platform:
  type: simulated
  simulated:
    stableTargets: 2
    candidateTargets: 2
    healthCheckInterval: 10ms
    healthyThreshold: 2
    deregistrationDelay: 20ms
    candidateErrorRate: 0
strategy:
  canary:
    steps:
      - setWeight: 20
      - pause: PAUSE
      - gate: error-rate
gates:
  - name: error-rate
    metrics: { metric: errorRate }
    condition: "< 0.05"
    interval: 10ms
    count: 2
`;

describe('the .vsix', { skip }, () => {
  let zip;
  let entries;
  let workspace;
  let taskDirectory;

  before(async () => {
    zip = new StreamZip.async({ file: vsix });
    entries = await zip.entries();
    // The agent keeps each task under _work/_tasks/<name>_<id>/<version>/ and unpacks it there.
    workspace = agent.makeAgentWorkspace();
    const { Major, Minor, Patch } = sourceTask.version;
    taskDirectory = path.join(workspace.tasks, `${sourceTask.name}_${sourceTask.id}`, `${Major}.${Minor}.${Patch}`);
    fs.mkdirSync(taskDirectory, { recursive: true });
    await zip.extract('ZdpTask/', taskDirectory);
  });

  after(async () => {
    await zip?.close();
    if (workspace) fs.rmSync(workspace.root, { recursive: true, force: true });
  });

  it('stays under the 25 MiB Azure DevOps accepts', () => {
    assert.ok(fs.statSync(vsix).size <= VSIX_SIZE_LIMIT, `${fs.statSync(vsix).size} bytes`);
  });

  it('holds the manifests and the task folder with task.json, the launcher, the icon and a program per OS, and nothing else', () => {
    const files = Object.values(entries).filter((e) => !e.isDirectory).map((e) => e.name);
    for (const name of ['extension.vsixmanifest', 'extension.vsomanifest', '[Content_Types].xml', 'ZdpTask/task.json', 'ZdpTask/index.js', 'ZdpTask/launcher.js', 'ZdpTask/icon.png', 'ZdpTask/bin/linux-x64/zdp-task', 'ZdpTask/bin/win-x64/zdp-task.exe']) {
      assert.ok(files.includes(name), `${name} is missing`);
    }
    const outside = files.filter((f) => !f.startsWith('ZdpTask/') && !['extension.vsixmanifest', 'extension.vsomanifest', '[Content_Types].xml'].includes(f));
    assert.deepEqual(outside, []);
    const taskFiles = files.filter((f) => f.startsWith('ZdpTask/') && !f.startsWith('ZdpTask/bin/')).sort();
    assert.deepEqual(taskFiles, ['ZdpTask/icon.png', 'ZdpTask/index.js', 'ZdpTask/launcher.js', 'ZdpTask/task.json']);
  });

  it('carries the task.json of the source tree, unchanged', () => {
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(taskDirectory, 'task.json'), 'utf8')), sourceTask);
  });

  it('bundles no Octokit: the GitHub client has no use in this host', () => {
    const octokit = Object.keys(entries).filter((name) => /octokit/i.test(name));
    assert.deepEqual(octokit, []);
  });

  it('stores the program without Unix mode bits, which is why the launcher makes it executable', () => {
    const program = entries['ZdpTask/bin/linux-x64/zdp-task'];
    assert.equal(program.attr >>> 16, 0, 'tfx writes no Unix mode in the external attributes');
    assert.equal(fs.statSync(path.join(taskDirectory, 'bin', 'linux-x64', 'zdp-task')).mode & 0o111, 0, 'unpacked, it is not executable');
  });

  describe('run as the agent runs it', { skip: process.platform !== 'linux' || process.arch !== 'x64' ? 'the bundled program runs on linux-x64 here' : false }, () => {
    const run = (inputs, options = {}) => agent.runTask({
      taskDirectory,
      workingDirectory: workspace.sources,
      env: agent.agentEnvironment({
        inputs,
        endpoints: options.endpoints ?? [],
        variables: agent.jobVariables(workspace),
        secrets: { 'deploy.password': 'not-used-by-zdp' },
        base: { PATH: process.env.PATH, HOME: process.env.HOME ?? workspace.root },
      }),
      ...options,
    });
    const completion = (result) => result.commands.filter((c) => c.name === 'task.complete');
    const variable = (result, name) => result.commands.find((c) => c.name === 'task.setvariable' && c.properties.variable === name);

    it('plans a spec, exits Node with 0 and reports Succeeded with the output variables', async () => {
      fs.writeFileSync(path.join(workspace.sources, 'zdp.yml'), CANARY.replace('PAUSE', '50ms'));
      const result = await run({ command: 'plan', spec: 'zdp.yml', cloud: 'none', output: 'plain' });

      assert.equal(result.exitCode, 0, result.stdout + result.stderr);
      assert.equal(fs.statSync(path.join(taskDirectory, 'bin', 'linux-x64', 'zdp-task')).mode & 0o777, 0o755);
      assert.deepEqual(completion(result).map((c) => c.properties.result), ['Succeeded']);
      assert.equal(variable(result, 'exitCode').data, '0');
      assert.equal(variable(result, 'exitCode').properties.isoutput, 'true');
      assert.equal(variable(result, 'outcome').data, 'success');
      assert.match(result.stdout, /setWeight|set candidate weight/);
    });

    it('deploys on the simulated platform to promotion', async () => {
      fs.mkdirSync(path.join(workspace.sources, 'deploy'), { recursive: true });
      fs.writeFileSync(path.join(workspace.sources, 'deploy', 'zdp.yml'), CANARY.replace('PAUSE', '50ms'));
      const result = await run({ command: 'deploy', spec: 'deploy/zdp.yml' });

      assert.equal(result.exitCode, 0, result.stdout + result.stderr);
      assert.match(result.stdout, /promoted/);
      assert.deepEqual(completion(result).map((c) => c.properties.result), ['Succeeded']);
    });

    it('shows a bad spec as an error issue with its file and line, and fails the task with exit code 2', async () => {
      const spec = path.join(workspace.sources, 'bad.yml');
      fs.writeFileSync(spec, CANARY.replace('PAUSE', '50ms').replace('setWeight: 20', 'setWeight: 120'));
      const result = await run({ command: 'deploy', spec: 'bad.yml' });

      assert.equal(result.exitCode, 0);
      const issue = result.commands.find((c) => c.name === 'task.logissue');
      assert.deepEqual([issue.properties.type, issue.properties.sourcepath, issue.properties.linenumber], ['error', spec, '14']);
      assert.match(issue.data, /setWeight/);
      assert.equal(variable(result, 'exitCode').data, '2');
      assert.deepEqual(completion(result).map((c) => c.properties.result), ['Failed']);
      assert.match(completion(result)[0].data, /invalid/);
    });

    it('keeps the connection secrets out of everything but task.setsecret', async () => {
      fs.writeFileSync(path.join(workspace.sources, 'zdp.yml'), CANARY.replace('PAUSE', '50ms'));
      const id = '0b8d6a4e-36a4-4bbd-9c83-7b7c0e4f1d2a';
      const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
      const result = await run(
        { command: 'plan', spec: 'zdp.yml', cloud: 'aws', awsCredentials: id, awsRegion: 'eu-west-1' },
        { endpoints: [{ id, url: 'https://aws.amazon.com/', scheme: 'UsernamePassword', parameters: { username: 'AKIAIOSFODNN7EXAMPLE', password: secret } }] },
      );

      assert.equal(result.exitCode, 0);
      assert.deepEqual(completion(result).map((c) => c.properties.result), ['Succeeded'], result.stdout);
      const secretCommands = result.commands.filter((c) => c.name === 'task.setsecret').map((c) => c.data);
      assert.ok(secretCommands.includes(secret));
      const elsewhere = result.lines.filter((l) => l.includes(secret) && !l.startsWith('##vso[task.setsecret]'));
      assert.deepEqual(elsewhere, []);
      assert.ok(!result.stderr.includes(secret));
      // The secret was set up before anything mentioned the connection.
      const firstSecret = result.lines.findIndex((l) => l.startsWith('##vso[task.setsecret]'));
      const firstMention = result.lines.findIndex((l) => l.includes('AWS credentials'));
      assert.ok(firstSecret >= 0 && firstSecret < firstMention);
    });

    it('rolls back on the agent\'s SIGINT and reports the cancellation before the agent would send SIGTERM', async () => {
      fs.writeFileSync(path.join(workspace.sources, 'zdp.yml'), CANARY.replace('PAUSE', '60s'));
      const result = await run({ command: 'deploy', spec: 'zdp.yml' }, { cancelWhen: (out) => /set candidate weight to 20/.test(out) });

      assert.equal(result.exitCode, 0, 'Node still exits 0');
      assert.ok('SIGINT' in result.cancelTimes);
      assert.ok(!('SIGTERM' in result.cancelTimes), `zdp-task was still running ${agent.CANCEL_SIGINT_TO_SIGTERM_MS} ms after SIGINT`);
      assert.match(result.stdout, /SIGINT received; passing it to zdp-task/);
      assert.match(result.stdout + result.stderr, /rolling back|rollback/i);
      assert.equal(variable(result, 'exitCode').data, '4');
      assert.equal(variable(result, 'outcome').data, 'cancelled');
      assert.deepEqual(completion(result).map((c) => c.properties.result), ['Failed']);
    });

    it('fails with one clear error on an agent OS the package has no program for', async () => {
      const bare = fs.mkdtempSync(path.join(workspace.tasks, 'bare-'));
      for (const file of ['task.json', 'index.js', 'launcher.js']) fs.copyFileSync(path.join(taskDirectory, file), path.join(bare, file));
      const result = await agent.runTask({ taskDirectory: bare, workingDirectory: workspace.sources, env: agent.agentEnvironment({ inputs: { command: 'plan' }, variables: agent.jobVariables(workspace), base: { PATH: process.env.PATH } }) });
      assert.equal(result.exitCode, 0);
      const issues = result.commands.filter((c) => c.name === 'task.logissue');
      assert.equal(issues.length, 1);
      assert.ok(issues[0].data.includes(launcher.programPath(bare, process.platform, process.arch)));
      assert.deepEqual(completion(result).map((c) => c.properties.result), ['Failed']);
    });
  });
});
