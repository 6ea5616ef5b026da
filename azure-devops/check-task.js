'use strict';
// Checks a task.json with tfx-cli's own validator (validateTask) and exits 1 listing the problems. tfx extension
// create runs the same check but only warns and still writes the package, so the build calls this first.
// Usage: node check-task.js <path/to/task.json>
const fs = require('node:fs');
const path = require('node:path');
const { validateTask } = require('tfx-cli/_build/lib/jsonvalidate');

const taskJson = path.resolve(process.argv[2] ?? path.join(__dirname, 'ZdpTask', 'task.json'));
const problems = validateTask(taskJson, JSON.parse(fs.readFileSync(taskJson, 'utf8')));
if (problems.length > 0) {
  console.error(`task.json has ${problems.length - 1} problem(s) tfx-cli reports:\n  ${problems.join('\n  ')}`);
  process.exitCode = 1;
} else {
  console.log(`${taskJson}: no problems (tfx-cli validateTask)`);
}
