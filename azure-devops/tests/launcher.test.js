'use strict';
// Unit tests of ZdpTask/launcher.js, run in this process against a fake zdp-task (fixtures/fake-zdp-task.js).
const assert = require('node:assert/strict');
const { EventEmitter } = require('node:events');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { describe, it, beforeEach, afterEach } = require('node:test');

const launcher = require('../ZdpTask/launcher');
const { parseLoggingCommand } = require('./agent');

const fakeProgram = path.join(__dirname, 'fixtures', 'fake-zdp-task.js');
const posixOnly = { skip: process.platform === 'win32' ? 'the fake zdp-task is a script started through its #! line' : false, timeout: 15000 };

/** A task folder holding the fake as bin/<rid>/zdp-task, mode 0644 as an unpacked .vsix leaves it. */
function taskFolderWithFake(root) {
  const program = launcher.programPath(root, process.platform, process.arch);
  fs.mkdirSync(path.dirname(program), { recursive: true });
  fs.copyFileSync(fakeProgram, program);
  fs.chmodSync(program, 0o644);
  return program;
}

describe('launcher', () => {
  let root;
  let lines;
  const write = (line) => lines.push(line);
  const commands = () => lines.map(parseLoggingCommand).filter(Boolean);
  const complete = () => commands().find((c) => c.name === 'task.complete');
  const waitFor = async (file) => {
    for (let i = 0; i < 500 && !fs.existsSync(file); i++) await new Promise((r) => setTimeout(r, 10));
    assert.ok(fs.existsSync(file), `${file} never appeared`);
  };

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'zdp-launcher-'));
    lines = [];
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('names the runtime identifier of each agent OS and architecture it can bundle, and none for others', () => {
    assert.equal(launcher.runtimeIdentifier('linux', 'x64'), 'linux-x64');
    assert.equal(launcher.runtimeIdentifier('win32', 'x64'), 'win-x64');
    assert.equal(launcher.runtimeIdentifier('darwin', 'arm64'), 'osx-arm64');
    assert.equal(launcher.runtimeIdentifier('linux', 'ia32'), null);
    assert.equal(launcher.runtimeIdentifier('aix', 'x64'), null);
  });

  it('looks for bin/<rid>/zdp-task, with .exe on Windows', () => {
    assert.equal(launcher.programPath('/t', 'linux', 'x64'), path.join('/t', 'bin', 'linux-x64', 'zdp-task'));
    assert.equal(launcher.programPath('/t', 'win32', 'x64'), path.join('/t', 'bin', 'win-x64', 'zdp-task.exe'));
  });

  it('escapes logging command values as the agent unescapes them, percent first', () => {
    assert.equal(launcher.escape('50% ; a]\r\nb'), '50%AZP25 %3B a%5D%0D%0Ab');
    assert.equal(launcher.escape('%3B'), '%AZP253B');
    assert.equal(launcher.loggingCommand('task.complete', { result: 'Failed' }, 'x;y]'), '##vso[task.complete result=Failed;]x%3By%5D');
  });

  it('maps exit code 0 to Succeeded and every other zdp exit code to Failed, each with its own message', () => {
    const ends = [0, 1, 2, 3, 4, 5].map((code) => launcher.describeEnd({ code, signal: null }, 'p'));
    assert.deepEqual(ends.map((e) => e.result), ['Succeeded', 'Failed', 'Failed', 'Failed', 'Failed', 'Failed']);
    assert.deepEqual(ends.map((e) => e.outcome), ['success', 'rolledBack', 'invalidInput', 'platformError', 'cancelled', 'refused']);
    assert.equal(new Set(ends.map((e) => e.message)).size, 6);
    assert.match(ends[1].message, /rolled back.*exit code 1/);
  });

  it('reports an exit code zdp never uses as a crash', () => {
    const end = launcher.describeEnd({ code: 134, signal: null }, 'p');
    assert.equal(end.result, 'Failed');
    assert.match(end.message, /code 134.*crashed/);
  });

  it('fails with one error naming the platform and the path when no program is bundled for it', async () => {
    let spawned = false;
    const end = await launcher.launch({ taskDirectory: root, platform: 'linux', arch: 'arm64', write, spawn: () => { spawned = true; } });
    assert.equal(spawned, false);
    assert.equal(end.result, 'Failed');
    const issue = commands().find((c) => c.name === 'task.logissue');
    assert.equal(issue.properties.type, 'error');
    assert.match(issue.data, /no zdp-task for linux arm64/);
    assert.ok(issue.data.includes(path.join(root, 'bin', 'linux-arm64', 'zdp-task')));
    assert.equal(complete().properties.result, 'Failed');
    assert.equal(commands().filter((c) => c.name === 'task.logissue').length, 1);
  });

  it('makes the bundled program executable before starting it', posixOnly, async () => {
    const program = taskFolderWithFake(root);
    assert.equal(fs.statSync(program).mode & 0o777, 0o644);
    const end = await launcher.launch({ taskDirectory: root, env: { ...process.env, FAKE_EXIT_CODE: '0' }, write, signals: new EventEmitter() });
    assert.equal(fs.statSync(program).mode & 0o777, 0o755);
    assert.equal(end.result, 'Succeeded');
    assert.equal(complete().properties.result, 'Succeeded');
  });

  it('passes the environment and the working directory on, and no arguments', posixOnly, async () => {
    taskFolderWithFake(root);
    const report = path.join(root, 'report.json');
    const env = { PATH: process.env.PATH, FAKE_REPORT: report, INPUT_SPEC: 'zdp.yml', ENDPOINT_AUTH_PARAMETER_X_PASSWORD: 'hunter2' };
    await launcher.launch({ taskDirectory: root, env, cwd: os.tmpdir(), write, signals: new EventEmitter() });
    const seen = JSON.parse(fs.readFileSync(report, 'utf8'));
    assert.deepEqual(seen.argv, []);
    assert.equal(seen.cwd, fs.realpathSync(os.tmpdir()));
    assert.equal(seen.env.INPUT_SPEC, 'zdp.yml');
    assert.equal(seen.env.ENDPOINT_AUTH_PARAMETER_X_PASSWORD, 'hunter2');
    assert.ok(!lines.join('\n').includes('hunter2'));
  });

  it('sets the exitCode output variable and fails the task when zdp rolled back', posixOnly, async () => {
    taskFolderWithFake(root);
    const end = await launcher.launch({ taskDirectory: root, env: { ...process.env, FAKE_EXIT_CODE: '1' }, write, signals: new EventEmitter() });
    assert.equal(end.exitCode, 1);
    const variable = commands().find((c) => c.name === 'task.setvariable');
    assert.deepEqual(variable.properties, { variable: 'exitCode', isoutput: 'true' });
    assert.equal(variable.data, '1');
    assert.equal(complete().properties.result, 'Failed');
    assert.match(complete().data, /rolled back/);
    // task.complete comes last: the agent merges results, and nothing should follow the final word.
    assert.equal(commands().at(-1).name, 'task.complete');
  });

  it('passes SIGINT and then SIGTERM on to zdp-task and reports how it ended', posixOnly, async () => {
    taskFolderWithFake(root);
    const signals = new EventEmitter();
    const ready = path.join(root, 'ready');
    const log = path.join(root, 'signals.log');
    const env = { ...process.env, FAKE_WAIT: '1', FAKE_READY: ready, FAKE_SIGNAL_LOG: log, FAKE_EXIT_AFTER: '2', FAKE_SIGNAL_EXIT: '4' };
    const running = launcher.launch({ taskDirectory: root, env, write, signals });
    await waitFor(ready);
    signals.emit('SIGINT');
    for (let i = 0; i < 500 && !(fs.existsSync(log) && fs.readFileSync(log, 'utf8').includes('SIGINT')); i++) await new Promise((r) => setTimeout(r, 10));
    signals.emit('SIGTERM');
    const end = await running;
    assert.deepEqual(fs.readFileSync(log, 'utf8').trim().split('\n').map((l) => l.split(' ')[0]), ['SIGINT', 'SIGTERM']);
    assert.equal(end.exitCode, 4);
    assert.match(complete().data, /cancelled/);
    assert.ok(lines.some((l) => l.includes('SIGINT received; passing it to zdp-task')));
    assert.equal(signals.listenerCount('SIGINT') + signals.listenerCount('SIGTERM'), 0, 'listeners are removed once zdp-task has ended');
  });

  it('says zdp-task was killed, and sets no exit code, when a signal ended it', posixOnly, async () => {
    taskFolderWithFake(root);
    const end = await launcher.launch({ taskDirectory: root, env: { ...process.env, FAKE_KILL_SELF: 'SIGKILL' }, write, signals: new EventEmitter() });
    assert.equal(end.result, 'Failed');
    assert.match(complete().data, /killed by SIGKILL/);
    assert.equal(commands().some((c) => c.name === 'task.setvariable'), false);
  });

  it('fails with the reason when the program cannot be started', async () => {
    taskFolderWithFake(root);
    const spawn = () => {
      const child = new EventEmitter();
      setImmediate(() => child.emit('error', Object.assign(new Error('spawn EACCES'), { code: 'EACCES' })));
      return child;
    };
    const end = await launcher.launch({ taskDirectory: root, write, spawn, signals: new EventEmitter() });
    assert.equal(end.result, 'Failed');
    assert.match(complete().data, /Could not start .*zdp-task: EACCES/);
  });

  it('on Windows neither changes the file mode nor passes signals on, since Ctrl+C reaches zdp-task itself', async () => {
    const program = launcher.programPath(root, 'win32', 'x64');
    fs.mkdirSync(path.dirname(program), { recursive: true });
    fs.writeFileSync(program, 'MZ');
    fs.chmodSync(program, 0o600);
    const signals = new EventEmitter();
    let listenersWhileRunning = -1;
    let spawnedWith;
    const spawn = (file, args, options) => {
      spawnedWith = { file, args, options };
      const child = new EventEmitter();
      setImmediate(() => {
        listenersWhileRunning = signals.listenerCount('SIGINT') + signals.listenerCount('SIGTERM');
        child.emit('exit', 0, null);
      });
      return child;
    };
    const end = await launcher.launch({ taskDirectory: root, platform: 'win32', arch: 'x64', write, spawn, signals });
    assert.equal(end.result, 'Succeeded');
    assert.equal(spawnedWith.file, program);
    assert.deepEqual(spawnedWith.args, []);
    assert.equal(spawnedWith.options.stdio, 'inherit');
    assert.equal(listenersWhileRunning, 0);
    assert.equal(fs.statSync(program).mode & 0o777, 0o600);
  });
});
