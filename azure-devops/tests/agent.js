'use strict';
// Runs a task folder the way the Azure Pipelines agent runs a Node handler, for the tests. Each piece follows the
// agent's source (microsoft/azure-pipelines-agent, src/Agent.Worker/Handlers/):
// - NodeHandler.cs: `node "<task folder>/<target>"`, working directory System.DefaultWorkingDirectory, the
//   environment below, exit code 0 required (anything else is an infrastructure failure), killProcessOnCancel false.
// - Handler.cs: INPUT_<NAME> for each input; per endpoint ENDPOINT_URL_<id>, ENDPOINT_AUTH_<id> (JSON),
//   ENDPOINT_AUTH_SCHEME_<id>, ENDPOINT_AUTH_PARAMETER_<id>_<KEY>, ENDPOINT_DATA_<id> (JSON), ENDPOINT_DATA_<id>_<KEY>,
//   where <id> is the endpoint's GUID and SYSTEMVSSCONNECTION for the job's own connection; each public variable
//   under its formatted name (SYSTEM_DEFAULTWORKINGDIRECTORY) plus VSTS_PUBLIC_VARIABLES, each secret one as
//   SECRET_<NAME> plus VSTS_SECRET_VARIABLES. Names are formatted by VarUtil: '.' and ' ' become '_', upper case.
// - ProcessInvoker.cs (cancel on Linux): SIGINT to Node, SIGTERM 7.5 s later, SIGKILL 2.5 s after that.
// - Agent.Sdk CommandStringConvertor.cs: how ##vso property values and messages are unescaped.
const childProcess = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

/** The agent's cancellation timing on Linux (ProcessInvoker.cs; AgentKnobs sigint/sigterm timeouts). */
const CANCEL_SIGINT_TO_SIGTERM_MS = 7500;
const CANCEL_SIGTERM_TO_KILL_MS = 2500;

const formatName = (name) => name.replace(/[. ]/g, '_').toUpperCase();

/** A job's folders as the agent lays them out: _work/1/s (sources), _work/_temp, _work/_tasks/<name>_<id>/<version>. */
function makeAgentWorkspace() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'zdp-agent-'));
  const work = path.join(root, '_work');
  const folders = {
    root,
    work,
    sources: path.join(work, '1', 's'),
    temp: path.join(work, '_temp'),
    tasks: path.join(work, '_tasks'),
  };
  for (const folder of [folders.sources, folders.temp, folders.tasks]) fs.mkdirSync(folder, { recursive: true });
  return folders;
}

/** The variables a pipeline job defines for every task (a subset: the ones a task may read). */
function jobVariables(workspace, extra = {}) {
  return {
    'Agent.Version': '4.266.2',
    'Agent.OS': process.platform === 'win32' ? 'Windows_NT' : 'Linux',
    'Agent.OSArchitecture': 'X64',
    'Agent.WorkFolder': workspace.work,
    'Agent.TempDirectory': workspace.temp,
    'Agent.BuildDirectory': path.dirname(workspace.sources),
    'Build.SourcesDirectory': workspace.sources,
    'Build.BuildId': '42',
    'System.DefaultWorkingDirectory': workspace.sources,
    'System.CollectionUri': 'https://dev.azure.com/example/',
    'System.TeamProject': 'shop',
    'System.TeamProjectId': '6a1b0c4e-2f7d-4e3a-9b5c-0d8e7f6a5b4c',
    'System.HostType': 'build',
    'System.PlanId': '1d2c3b4a-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
    'System.JobId': '9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a',
    ...extra,
  };
}

/**
 * The environment the agent gives the Node handler.
 * inputs: { name: value }; endpoints: [{ id, url, scheme, parameters: {}, data: {} }] (SystemVssConnection is
 * added with accessToken); variables: { 'System.X': value }; secrets: { name: value }.
 */
function agentEnvironment({ inputs = {}, endpoints = [], variables = {}, secrets = {}, accessToken = 'system-vss-access-token', base = {} }) {
  const env = { ...base };
  for (const [name, value] of Object.entries(inputs)) {
    // The agent trims inputs unless DISABLE_INPUT_TRIMMING is set (AgentKnobs DisableInputTrimming).
    env[`INPUT_${formatName(name)}`] = String(value).trim();
  }

  const all = [...endpoints, { id: 'SYSTEMVSSCONNECTION', url: 'https://dev.azure.com/example/', scheme: 'OAuth', parameters: { AccessToken: accessToken } }];
  for (const endpoint of all) {
    const key = endpoint.id;
    env[`ENDPOINT_URL_${key}`] = endpoint.url ?? '';
    env[`ENDPOINT_AUTH_${key}`] = JSON.stringify({ parameters: endpoint.parameters ?? {}, scheme: endpoint.scheme });
    env[`ENDPOINT_AUTH_SCHEME_${key}`] = endpoint.scheme;
    for (const [name, value] of Object.entries(endpoint.parameters ?? {})) env[`ENDPOINT_AUTH_PARAMETER_${key}_${formatName(name)}`] = value;
    if (key !== 'SYSTEMVSSCONNECTION') {
      env[`ENDPOINT_DATA_${key}`] = JSON.stringify(endpoint.data ?? {});
      for (const [name, value] of Object.entries(endpoint.data ?? {})) env[`ENDPOINT_DATA_${key}_${formatName(name)}`] = value;
    }
  }

  for (const [name, value] of Object.entries(variables)) env[formatName(name)] = value;
  env.VSTS_PUBLIC_VARIABLES = JSON.stringify(Object.keys(variables));
  for (const [name, value] of Object.entries(secrets)) env[`SECRET_${formatName(name)}`] = value;
  env.VSTS_SECRET_VARIABLES = JSON.stringify(Object.keys(secrets));
  return env;
}

/** The agent's Unescape (percent decoding on, its default). */
function unescape(value) {
  return value.replace(/%3B/g, ';').replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%5D/g, ']').replace(/%AZP25/g, '%');
}

/** Parses one output line as the agent's command manager does: ##vso[area.event k=v;k=v]data, or null. */
function parseLoggingCommand(line) {
  const start = line.indexOf('##vso[');
  if (start < 0) return null;
  const close = line.indexOf(']', start);
  if (close < 0) return null;
  const head = line.slice(start + '##vso['.length, close);
  const space = head.indexOf(' ');
  const name = space < 0 ? head : head.slice(0, space);
  const properties = {};
  if (space >= 0) {
    for (const pair of head.slice(space + 1).split(';')) {
      if (!pair.trim()) continue;
      const eq = pair.indexOf('=');
      if (eq > 0) properties[pair.slice(0, eq).trim()] = unescape(pair.slice(eq + 1));
    }
  }
  return { name, properties, data: unescape(line.slice(close + 1)) };
}

/**
 * Starts the task's Node handler as the agent does and waits for Node to end.
 * cancelAfterMs: when set, runs the agent's cancel sequence that long after the start (or once `cancelWhen(output)`
 * returns true). Resolves to { exitCode, signal, stdout, stderr, lines, commands, cancelTimes }.
 */
function runTask({ taskDirectory, env, workingDirectory, cancelAfterMs, cancelWhen, timeoutMs = 60000 }) {
  const taskJson = JSON.parse(fs.readFileSync(path.join(taskDirectory, 'task.json'), 'utf8'));
  const handler = taskJson.execution.Node24 ?? taskJson.execution.Node20_1;
  const target = path.join(taskDirectory, handler.target);
  return new Promise((resolve, reject) => {
    // The agent passes the target as one quoted argument and no others (NodeHandler.cs).
    const node = childProcess.spawn(process.execPath, [target], { cwd: workingDirectory, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const cancelTimes = {};
    const timers = [];
    const started = Date.now();
    let cancelling = false;
    const cancel = () => {
      if (cancelling) return;
      cancelling = true;
      const send = (signal) => {
        if (node.exitCode === null && node.signalCode === null) {
          cancelTimes[signal] = Date.now() - started;
          node.kill(signal);
        }
      };
      send('SIGINT');
      timers.push(setTimeout(() => send('SIGTERM'), CANCEL_SIGINT_TO_SIGTERM_MS));
      timers.push(setTimeout(() => send('SIGKILL'), CANCEL_SIGINT_TO_SIGTERM_MS + CANCEL_SIGTERM_TO_KILL_MS));
    };
    if (cancelAfterMs !== undefined) timers.push(setTimeout(cancel, cancelAfterMs));
    // Polled as well as checked on output: the condition may be a file zdp-task writes, not a line it prints.
    if (cancelWhen) {
      const poll = setInterval(() => { if (!cancelling && cancelWhen(stdout)) cancel(); }, 20);
      timers.push(poll);
    }
    node.stdout.on('data', (chunk) => {
      stdout += chunk;
      if (cancelWhen && !cancelling && cancelWhen(stdout)) cancel();
    });
    node.stderr.on('data', (chunk) => { stderr += chunk; });
    timers.push(setTimeout(() => { node.kill('SIGKILL'); reject(new Error(`the task ran over ${timeoutMs} ms:\n${stdout}\n${stderr}`)); }, timeoutMs));
    node.on('error', reject);
    // 'exit', not 'close': a grandchild that outlives a SIGKILLed Node keeps the pipes open.
    node.on('exit', (exitCode, signal) => {
      for (const timer of timers) { clearTimeout(timer); clearInterval(timer); }
      // Let the pipes drain what Node wrote before it ended, then let go of them: a zdp-task that outlives a killed
      // Node holds their other end, and would keep this process alive.
      setTimeout(() => {
        node.stdout.destroy();
        node.stderr.destroy();
        const lines = stdout.split(/\r?\n/);
        resolve({ exitCode, signal, stdout, stderr, lines, commands: lines.map(parseLoggingCommand).filter(Boolean), cancelTimes, durationMs: Date.now() - started });
      }, 100);
    });
  });
}

module.exports = {
  CANCEL_SIGINT_TO_SIGTERM_MS,
  CANCEL_SIGTERM_TO_KILL_MS,
  makeAgentWorkspace,
  jobVariables,
  agentEnvironment,
  parseLoggingCommand,
  unescape,
  runTask,
};
