#!/usr/bin/env python3
"""Runs every shell line of the CI recipes in docs/ci.md, as written.

Usage: run-recipes.py docs/ci.md path/to/co2e

Each ```yaml block of docs/ci.md is a GitHub Actions workflow (it has `jobs:`) or a GitLab CI
file. The `run:` steps (GitHub) and `before_script` + `script` (GitLab) run in bash, the way each
CI runs them (`bash -eo pipefail`; GitLab stops at the first failing line), in a scratch
directory, with the CI's variables set. The real co2e is first on PATH; what needs the network or
root is a stand-in that records its arguments and checks them: curl (writes the file asked for,
or checks a POST body), sudo (runs the rest), apt-get (checks that a ./*.deb it installs exists),
gh (checks the comment body file), make (the user's test suite: sleeps briefly, exits 0).
Fails (exit 1) naming the recipe and step whose lines failed or whose effects are missing.
"""
import os
import re
import subprocess
import sys
import tempfile

import yaml

STUBS = {
    "curl": r'''#!/bin/bash
# Records the call; -o FILE: writes a placeholder; --data-urlencode "body@FILE": FILE must exist.
echo "curl $*" >> "$STUB_LOG"
out=""; prev=""
for a in "$@"; do
  [ "$prev" = "-o" ] && out=$a
  case "$prev" in --data-urlencode) body=${a#body@}; [ -s "$body" ] || { echo "curl stub: $body missing" >&2; exit 22; }; cp "$body" "$STUB_DIR/posted.md";; esac
  prev=$a
done
[ -n "$out" ] && echo "placeholder" > "$out"
exit 0
''',
    "sudo": '#!/bin/bash\necho "sudo $*" >> "$STUB_LOG"\nexec "$@"\n',
    "apt-get": r'''#!/bin/bash
echo "apt-get $*" >> "$STUB_LOG"
for a in "$@"; do
  case "$a" in ./*.deb|/*.deb) [ -f "$a" ] || { echo "apt-get stub: $a not found" >&2; exit 100; }; echo "$a" >> "$STUB_DIR/debs";; esac
done
exit 0
''',
    "gh": r'''#!/bin/bash
echo "gh $*" >> "$STUB_LOG"
prev=""
for a in "$@"; do
  if [ "$prev" = "--body-file" ]; then [ -s "$a" ] || { echo "gh stub: $a empty" >&2; exit 1; }; cp "$a" "$STUB_DIR/posted.md"; fi
  prev=$a
done
[ -n "$GH_TOKEN" ] || { echo "gh stub: GH_TOKEN not set" >&2; exit 4; }
''',
    "make": '#!/bin/bash\necho "make $*" >> "$STUB_LOG"\nsleep 0.2\n',
}

# What the CI itself would provide.
GITHUB_ENV = {"GITHUB_ACTIONS": "true", "CI": "true", "GITHUB_EVENT_NAME": "pull_request"}
GITLAB_ENV = {"GITLAB_CI": "true", "CI": "true", "CI_MERGE_REQUEST_IID": "7", "CI_PROJECT_ID": "42",
              "CI_API_V4_URL": "https://gitlab.invalid/api/v4", "CO2E_GITLAB_TOKEN": "test-token",
              "CO2E_DEB_URL": "https://packages.invalid/co2e.deb"}


def expression(value):
    """A GitHub ${{ ... }} expression in an env value: a stand-in value (there is no GitHub here)."""
    return re.sub(r"\$\{\{[^}]*\}\}", "ci-test-value", str(value))


def run_lines(name, script, env, workdir):
    r = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script], cwd=workdir, env=env,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=120)
    if r.returncode != 0:
        sys.exit("docs/ci.md: %s: exit %d\n--- lines\n%s\n--- stdout\n%s\n--- stderr\n%s" %
                 (name, r.returncode, script, r.stdout, r.stderr))
    return r


def check(cond, what):
    if not cond:
        sys.exit("docs/ci.md: " + what)


def github(doc, base_env, workdir):
    summary = os.path.join(workdir, "step-summary.md")
    open(summary, "w").close()
    env = dict(base_env, **GITHUB_ENV, GITHUB_STEP_SUMMARY=summary)
    env.update({k: expression(v) for k, v in (doc.get("env") or {}).items()})
    steps = 0
    for job_name, job in doc["jobs"].items():
        job_env = dict(env, **{k: expression(v) for k, v in (job.get("env") or {}).items()})
        for step in job["steps"]:
            if "run" not in step:
                continue  # `uses:` actions: not shell
            step_env = dict(job_env, **{k: expression(v) for k, v in (step.get("env") or {}).items()})
            run_lines("GitHub %s: %s" % (job_name, step.get("name", "?")), step["run"], step_env, workdir)
            steps += 1
    text = open(summary).read()
    check(steps >= 4, "GitHub recipe: expected at least 4 run steps, found %d" % steps)
    check("| co2e estimate |" in text, "GitHub recipe: no estimate table in $GITHUB_STEP_SUMMARY:\n" + text)
    check("| co2e run | `make test` |" in text, "GitHub recipe: no run table in $GITHUB_STEP_SUMMARY:\n" + text)


def gitlab(doc, base_env, workdir):
    env = dict(base_env, **GITLAB_ENV)
    env.update({k: str(v) for k, v in (doc.get("variables") or {}).items()})
    jobs = 0
    for job_name, job in doc.items():
        if not isinstance(job, dict) or "script" not in job:
            continue
        job_env = dict(env, **{k: str(v) for k, v in (job.get("variables") or {}).items()})
        # GitLab runs the lines in one shell and stops at the first that fails.
        lines = list(job.get("before_script", [])) + list(job["script"])
        run_lines("GitLab %s" % job_name, "\n".join(lines), job_env, workdir)
        jobs += 1
        for path in job.get("artifacts", {}).get("paths", []):
            check(os.path.exists(os.path.join(workdir, path)), "GitLab %s: artifact %s not written" % (job_name, path))
    check(jobs >= 1, "GitLab recipe: no job with a script")


def main():
    doc_path, co2e = sys.argv[1], os.path.abspath(sys.argv[2])
    blocks = re.findall(r"^```yaml\n(.*?)^```", open(doc_path).read(), re.S | re.M)
    check(len(blocks) == 2, "expected 2 yaml recipes, found %d" % len(blocks))
    for block in blocks:
        doc = yaml.safe_load(block)
        with tempfile.TemporaryDirectory() as tmp:
            bindir, workdir = os.path.join(tmp, "bin"), os.path.join(tmp, "work")
            os.makedirs(bindir)
            os.makedirs(workdir)
            os.symlink(co2e, os.path.join(bindir, "co2e"))
            for name, text in STUBS.items():
                path = os.path.join(bindir, name)
                with open(path, "w") as f:
                    f.write(text)
                os.chmod(path, 0o755)
            base_env = {"PATH": bindir + ":/usr/bin:/bin", "HOME": tmp, "LANG": "C.UTF-8",
                        "STUB_LOG": os.path.join(tmp, "stub.log"), "STUB_DIR": tmp,
                        # No RAPL or NVML from the machine running the test: co2e run states its model.
                        "CO2E_POWERCAP_ROOT": os.path.join(tmp, "no-powercap"), "CO2E_NVML_LIBRARY": ""}
            kind = "GitHub" if "jobs" in doc else "GitLab"
            (github if kind == "GitHub" else gitlab)(doc, base_env, workdir)
            log = open(base_env["STUB_LOG"]).read()
            check(os.path.exists(os.path.join(tmp, "debs")), kind + " recipe: apt-get never installed a .deb:\n" + log)
            check("make test" in log, kind + " recipe: the test step never ran:\n" + log)
            posted = os.path.join(tmp, "posted.md")
            check(os.path.exists(posted) and "| co2e run |" in open(posted).read(),
                  kind + " recipe: no comment with the run's summary table was posted:\n" + log)
            run = os.path.join(workdir, "co2e-run.json")
            check(os.path.exists(run) and re.search(r'"co2e_k?g"', open(run).read()), kind + " recipe: co2e-run.json missing")
            print("docs/ci.md: %s recipe ok" % kind)


if __name__ == "__main__":
    main()
