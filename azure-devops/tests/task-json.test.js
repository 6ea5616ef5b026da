'use strict';
// task.json and vss-extension.json against tfx's own validation and against the rest of the repository.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { describe, it } = require('node:test');
const { validateTask } = require('tfx-cli/_build/lib/jsonvalidate');

const taskFolder = path.join(__dirname, '..', 'ZdpTask');
const taskJsonPath = path.join(taskFolder, 'task.json');
const task = JSON.parse(fs.readFileSync(taskJsonPath, 'utf8'));
const extension = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'vss-extension.json'), 'utf8'));
const projectVersion = /<Version>([^<]+)<\/Version>/.exec(fs.readFileSync(path.join(__dirname, '..', '..', 'Directory.Build.props'), 'utf8'))[1];

describe('task.json', () => {
  it('passes tfx-cli validateTask with no problems', () => {
    assert.deepEqual(validateTask(taskJsonPath, task), []);
  });

  it('carries the project version from Directory.Build.props, as does the extension', () => {
    const { Major, Minor, Patch } = task.version;
    assert.equal(`${Major}.${Minor}.${Patch}`, projectVersion);
    assert.equal(extension.version, projectVersion);
  });

  it('runs the launcher on both Node 24 and Node 20, and asks for the agent that has Node 20', () => {
    assert.deepEqual(Object.keys(task.execution).sort(), ['Node20_1', 'Node24']);
    for (const handler of Object.values(task.execution)) {
      assert.equal(handler.target, 'index.js');
      assert.ok(fs.existsSync(path.join(taskFolder, handler.target)));
    }
    // tasklib node/docs/minagent.md: node20 handler from 2.214.1, node24 from 3.250.0. Agents that know Node24 pick
    // it; older ones run Node20_1, so the lower version is the true minimum.
    assert.equal(task.minimumAgentVersion, '2.214.1');
  });

  it('keeps to the schema rules for names, and every group and visible rule names something that exists', () => {
    const inputNames = task.inputs.map((i) => i.name);
    const groupNames = task.groups.map((g) => g.name);
    for (const input of task.inputs) {
      assert.match(input.name, /^[A-Za-z][A-Za-z0-9]*$/);
      if (input.groupName) assert.ok(groupNames.includes(input.groupName), `${input.name}: no group ${input.groupName}`);
      if (input.visibleRule) {
        const [, name] = /^(\w+)\s*=/.exec(input.visibleRule);
        assert.ok(inputNames.includes(name), `${input.name}: visibleRule names no input ${name}`);
      }
    }
    for (const output of task.outputVariables) assert.match(output.name, /^[A-Za-z][A-Za-z0-9]*$/);
    assert.deepEqual(task.outputVariables.map((o) => o.name), ['outcome', 'exitCode', 'deploymentId']);
    assert.ok(task.friendlyName.length <= 40);
    assert.equal(task.category, 'Deploy');
  });

  it('offers exactly the zdp commands the task can run, and connection types the agent resolves', () => {
    const input = (name) => task.inputs.find((i) => i.name === name);
    assert.deepEqual(Object.keys(input('command').options), ['deploy', 'plan', 'promote', 'abort', 'rollback', 'status']);
    assert.equal(input('spec').type, 'filePath');
    assert.equal(input('spec').defaultValue, 'zdp.yml');
    assert.equal(input('azureSubscription').type, 'connectedService:AzureRM');
    assert.equal(input('awsCredentials').type, 'connectedService:AWS');
    assert.equal(input('vars').type, 'multiLine');
  });

  it('names the same outcomes as the launcher', () => {
    const launcher = require('../ZdpTask/launcher');
    const description = task.outputVariables.find((o) => o.name === 'outcome').description;
    for (const { name } of launcher.EXIT_CODES.values()) assert.ok(description.includes(name), `outcome description lacks ${name}`);
  });

  it('has a 32x32 PNG icon beside it', () => {
    const png = fs.readFileSync(path.join(taskFolder, 'icon.png'));
    assert.equal(png.subarray(1, 4).toString('ascii'), 'PNG');
    assert.equal(png.subarray(12, 16).toString('ascii'), 'IHDR');
    assert.equal(png.readUInt32BE(16), 32);
    assert.equal(png.readUInt32BE(20), 32);
  });
});

describe('vss-extension.json', () => {
  it('contributes the task folder as a pipeline task', () => {
    const tasks = extension.contributions.filter((c) => c.type === 'ms.vss-distributed-task.task');
    assert.equal(tasks.length, 1);
    assert.deepEqual(tasks[0].targets, ['ms.vss-distributed-task.tasks']);
    assert.equal(tasks[0].properties.name, path.basename(taskFolder));
    assert.ok(extension.files.some((f) => f.path === path.basename(taskFolder)));
  });
});
