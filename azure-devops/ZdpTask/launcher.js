'use strict';
// The task's Node handler starts this (through index.js) and this starts zdp-task, the .NET program bundled for the
// agent's OS under bin/<rid>/. Plain Node with no packages, on purpose:
// - azure-pipelines-task-lib deletes INPUT_*, ENDPOINT_AUTH_* and SECRET_* from process.env when it loads (its
//   internal.ts _loadData), so a launcher that loaded it would start zdp-task with no inputs and no credentials.
// - the inputs and the service connections reach zdp-task through the environment the agent gave Node, untouched,
//   and never on a command line, where secrets would show in process listings.
// - on cancel the Linux agent signals Node only (agent ProcessInvoker.cs: SIGINT, SIGTERM 7.5 s later, SIGKILL
//   2.5 s after that), so both signals are passed on to zdp-task, which rolls back.
// - the agent treats a non-zero exit of Node as an infrastructure failure (agent NodeHandler.cs), so this always
//   exits 0 and reports the task's result with ##vso[task.complete].
const childProcess = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const PROGRAM_NAME = 'zdp-task';

// zdp's exit codes (README "Exit codes", src/ZdPipelines.Cli/ExitCodes.cs) and the task result each gives. Only 0
// succeeds: SucceededWithIssues would let the next steps and stages run (succeeded() is true for it) as if the new
// version were live, and after codes 1-5 it is not.
const EXIT_CODES = new Map([
  [0, { name: 'success', result: 'Succeeded', message: 'zdp finished: promoted, or the command did what it was asked.' }],
  [1, { name: 'rolledBack', result: 'Failed', message: 'zdp rolled back: a gate failed, a wait timed out or the deployment was aborted. The starting state was restored.' }],
  [2, { name: 'invalidInput', result: 'Failed', message: 'zdp found the spec or the task inputs invalid (see the errors above). Nothing was changed.' }],
  [3, { name: 'platformError', result: 'Failed', message: 'zdp hit a platform error, or could not finish the rollback. The state is left for a human: run the task with command status.' }],
  [4, { name: 'cancelled', result: 'Failed', message: 'zdp was cancelled. The deployment was rolled back, or nothing had been changed yet.' }],
  [5, { name: 'refused', result: 'Failed', message: 'zdp refused to start: another deployment holds the target, an unfinished one must be resumed or rolled back first, or the platform cannot run the strategy.' }],
]);

const FORWARDED_SIGNALS = ['SIGINT', 'SIGTERM'];

/** The .NET runtime identifier zdp-task is published for on this OS and architecture, or null when none is bundled. */
function runtimeIdentifier(platform, arch) {
  const os = { linux: 'linux', win32: 'win', darwin: 'osx' }[platform];
  const cpu = { x64: 'x64', arm64: 'arm64' }[arch];
  return os && cpu ? `${os}-${cpu}` : null;
}

/** Where the bundled program for this OS and architecture lives: bin/<rid>/zdp-task (zdp-task.exe on Windows). */
function programPath(taskDirectory, platform, arch) {
  const rid = runtimeIdentifier(platform, arch) ?? `${platform}-${arch}`;
  return path.join(taskDirectory, 'bin', rid, platform === 'win32' ? `${PROGRAM_NAME}.exe` : PROGRAM_NAME);
}

/**
 * Escapes a logging command's property value or message as the agent unescapes it (Agent.Sdk CommandStringConvertor:
 * ';' %3B, '\r' %0D, '\n' %0A, ']' %5D, and '%' as %AZP25, which the agent decodes by default: AgentKnobs DecodePercents).
 */
function escape(value) {
  return String(value)
    .replace(/%/g, '%AZP25')
    .replace(/;/g, '%3B')
    .replace(/\r/g, '%0D')
    .replace(/\n/g, '%0A')
    .replace(/]/g, '%5D');
}

/** One logging command line: ##vso[name k=v;k=v;]message. */
function loggingCommand(name, properties, message) {
  const pairs = Object.entries(properties).map(([key, value]) => `${key}=${escape(value)};`).join('');
  return `##vso[${name}${pairs ? ` ${pairs}` : ''}]${escape(message ?? '')}`;
}

/** The task result and message for how zdp-task ended: an exit code, a signal, or no start at all. */
function describeEnd({ code, signal, error }, program) {
  if (error) {
    return { result: 'Failed', message: `Could not start ${program}: ${error.code ?? error.message}. Reinstall the extension; if it persists, report it with this message.` };
  }

  if (code === null || code === undefined) {
    return {
      result: 'Failed',
      message: `zdp-task was killed by ${signal ?? 'an unknown signal'} before it reported how the run ended. A deployment may be part-way: run the task with command status, then deploy again (it resumes) or rollback.`,
    };
  }

  const known = EXIT_CODES.get(code);
  if (!known) {
    return { result: 'Failed', exitCode: code, message: `zdp-task exited with code ${code}, which zdp never uses: it crashed. See its output above.` };
  }

  return { result: known.result, exitCode: code, outcome: known.name, message: `${known.message} (exit code ${code})` };
}

/** Makes the program executable: a .vsix stores no Unix mode bits, so the agent unpacks it as mode 0644 or 0. */
function makeExecutable(program) {
  try {
    fs.chmodSync(program, 0o755);
  } catch (error) {
    // A read-only task folder is fine if someone already made it executable.
    try {
      fs.accessSync(program, fs.constants.X_OK);
    } catch {
      return `Could not make ${program} executable (${error.code ?? error.message}), and it is not executable.`;
    }
  }

  return null;
}

/**
 * Runs zdp-task to its end and reports that end. Everything the outside world gives is passed in, so tests can run
 * it with their own program, environment and signal source; main() passes the real ones.
 * Resolves to { result, message, exitCode? } once the task.complete line has been written.
 */
async function launch({
  taskDirectory,
  platform = process.platform,
  arch = process.arch,
  env = process.env,
  cwd = process.cwd(),
  signals = process,
  write = (line) => process.stdout.write(`${line}\n`),
  spawn = childProcess.spawn,
}) {
  const program = programPath(taskDirectory, platform, arch);
  const finish = (end) => {
    if (end.exitCode !== undefined) {
      write(loggingCommand('task.setvariable', { variable: 'exitCode', isoutput: 'true' }, String(end.exitCode)));
    }
    write(loggingCommand('task.complete', { result: end.result }, end.message));
    return end;
  };

  if (!fs.existsSync(program)) {
    const bundled = fs.existsSync(path.join(taskDirectory, 'bin'))
      ? fs.readdirSync(path.join(taskDirectory, 'bin')).sort().join(', ')
      : 'none';
    const message = `This task bundles no zdp-task for ${platform} ${arch} (looked for ${program}; bundled: ${bundled}). Run it on a Linux x64 or Windows x64 agent.`;
    write(loggingCommand('task.logissue', { type: 'error' }, message));
    return finish({ result: 'Failed', message });
  }

  if (platform !== 'win32') {
    const problem = makeExecutable(program);
    if (problem) {
      write(loggingCommand('task.logissue', { type: 'error' }, problem));
      return finish({ result: 'Failed', message: problem });
    }
  }

  // No arguments: zdp-task reads its inputs from INPUT_* like any task, so no secret is ever on its command line.
  const child = spawn(program, [], { stdio: 'inherit', env, cwd, windowsHide: true });

  // On Windows the agent's Ctrl+C reaches every process on the console, zdp-task included, and child.kill there
  // would terminate it outright instead of letting it roll back; so signals are passed on only where they exist.
  const forwarders = platform === 'win32' ? [] : FORWARDED_SIGNALS.map((signal) => {
    const forward = () => {
      write(`zdp-task launcher: ${signal} received; passing it to zdp-task (pid ${child.pid}), which rolls back before it exits.`);
      try {
        child.kill(signal);
      } catch (error) {
        write(`zdp-task launcher: could not pass ${signal} on: ${error.message}`);
      }
    };
    signals.on(signal, forward);
    return [signal, forward];
  });

  const end = await new Promise((resolve) => {
    child.once('error', (error) => resolve({ error }));
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  for (const [signal, forward] of forwarders) signals.removeListener(signal, forward);

  return finish(describeEnd(end, program));
}

/** The handler's entry point: launch, report, exit 0 whatever happened. */
async function main() {
  try {
    await launch({ taskDirectory: __dirname });
  } catch (error) {
    process.stdout.write(`${loggingCommand('task.complete', { result: 'Failed' }, `The zdp-task launcher failed: ${error.message}`)}\n`);
  }

  // exitCode rather than process.exit(): pending writes to a pipe still drain, and with the signal listeners
  // removed nothing keeps Node alive.
  process.exitCode = 0;
}

module.exports = { EXIT_CODES, runtimeIdentifier, programPath, escape, loggingCommand, describeEnd, makeExecutable, launch, main };
