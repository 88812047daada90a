#!/usr/bin/env python3
"""Runs the real co2e binary in every mode that writes JSON and validates each document (or JSON
Lines row) against its schema in docs/schemas/. Also checks the output contract that the schemas
alone cannot: the result columns of the estimate and batch schemas are exactly the CSV header of
`co2e estimate --format csv`, and every number carries at most 10 significant digits.

    validate_outputs.py CO2E_BINARY SOURCE_DIR

Exit 0: all valid; 1: a document is invalid; 77 (ctest: skipped): python3-jsonschema is missing,
except in CI (CI=true), where a missing module is a failure: the check must not silently vanish."""
import json
import os
import re
import subprocess
import sys
import tempfile

try:
    import jsonschema
except ImportError:
    if os.environ.get("CI") == "true":
        print("python3-jsonschema is missing (scripts/install-deps.sh installs it): failing, since CI=true")
        sys.exit(1)
    print("SKIP: python3-jsonschema is missing (apt-get install python3-jsonschema)")
    sys.exit(77)

co2e, src = sys.argv[1], sys.argv[2]
fixtures = os.path.join(src, "tests", "fixtures")
schemas = os.path.join(src, "docs", "schemas")
failures = []


def schema(name):
    with open(os.path.join(schemas, name), encoding="utf-8") as f:
        s = json.load(f)
    jsonschema.Draft202012Validator.check_schema(s)
    return jsonschema.Draft202012Validator(s)


def run(args, ok=(0,), env=None):
    e = dict(os.environ)
    e.update(env or {})
    p = subprocess.run([co2e] + args, capture_output=True, text=True, env=e)
    if p.returncode not in ok:
        failures.append(f"{' '.join(args)}: exit {p.returncode}: {p.stderr.strip()}")
    return p.stdout


# A number token in JSON text: at most 10 significant digits (docs/cli.md, Output contract).
NUMBER = re.compile(r'(?<![\w."])-?(\d+)(?:\.(\d+))?(?:[eE][+-]?\d+)?(?![\w."])')


def digits_ok(label, text):
    # Strings are removed first: only the numbers of the document count.
    bare = re.sub(r'"(?:[^"\\]|\\.)*"', '""', text)
    for m in NUMBER.finditer(bare):
        sig = (m.group(1) + (m.group(2) or "")).lstrip("0")
        if m.group(2) is None:
            sig = sig.rstrip("0")  # 20000 is one significant digit
        if len(sig) > 10:
            failures.append(f"{label}: {m.group(0)} has more than 10 significant digits")


def check(label, validator, text, lines=False):
    docs = [l for l in text.splitlines() if l.strip()] if lines else [text]
    if not docs or not text.strip():
        failures.append(f"{label}: no output")
    for d in docs:
        try:
            doc = json.loads(d)
        except json.JSONDecodeError as e:
            failures.append(f"{label}: not JSON: {e}")
            continue
        for err in validator.iter_errors(doc):
            failures.append(f"{label}: {'/'.join(map(str, err.absolute_path))}: {err.message}")
        digits_ok(label, d)


estimate = schema("estimate.schema.json")
batch_row = schema("batch-row.schema.json")

# The result columns: one list (render.cpp's table) that the CSV header, the estimate schema and
# the batch-row schema must all name.
header = run(["estimate", "--runtime", "1h", "--cores", "1", "--format", "csv"]).splitlines()[0].split(",")
for name, v in (("estimate", estimate), ("batch-row", batch_row)):
    missing = [c for c in header if c not in v.schema["required"]]
    if missing:
        failures.append(f"{name}.schema.json does not require the result columns {missing}")

for args in (
    ["--runtime", "12h", "--cores", "12", "--core-power", "7.5", "--memory", "64", "--pue", "1.56",
     "--intensity", "231.12"],
    ["--runtime", "3h", "--cpu", "EPYC 7763", "--cores", "8", "--gpus", "2", "--gpu", "A100", "--region", "aws:us-east-1",
     "--memory", "32G", "--psf", "3"],
    ["--gpu-hours", "10", "--gpu-power", "300", "--provider", "gcp"],
    ["--runtime", "2h", "--cores", "4", "--intensity-series", os.path.join(fixtures, "series", "good_step.csv"),
     "--start", "2024-01-01T10:30:00Z"],
    ["--runtime", "1h", "--gpus", "1", "--gpu", "T4", "--region", "FR", "--per", "2e9", "tokens"],
):
    check("estimate " + " ".join(args), estimate, run(["estimate", "--format", "json"] + args))

for f, extra in (("batch/good_basic.csv", []), ("batch/bad_rows.csv", []), ("batch/good_jsonl.jsonl", []),
                 ("batch/good_ga_export.csv", []), ("batch/good_series.csv",
                  ["--cores", "1", "--core-power", "1000", "--intensity-series",
                   os.path.join(fixtures, "series", "good_step.csv")]),
                 ("batch/good_basic.csv", ["--per", "1e6", "requests"])):
    out = run(["batch", os.path.join(fixtures, f), "--format", "jsonl"] + extra, ok=(0, 2))
    check("batch --format jsonl " + f, batch_row, out, lines=True)

with tempfile.TemporaryDirectory() as tmp:
    report = os.path.join(tmp, "run.json")
    run(["run", "-q", "--format", "json", "-o", report, "--interval", "0.05s", "--region", "FR", "--", "true"],
        env={"CO2E_POWERCAP_ROOT": os.path.join(tmp, "none"), "CO2E_NVML_LIBRARY": os.path.join(tmp, "none.so")})
    with open(report, encoding="utf-8") as f:
        check("run --format json", schema("run.schema.json"), f.read())

cluster = os.path.join(fixtures, "slurm", "good_cluster.json")
for sacct in ("good_basic.txt", "good_quirks.txt"):
    path = os.path.join(fixtures, "slurm", sacct)
    check("slurm json " + sacct, schema("slurm.schema.json"),
          run(["slurm", "--cluster", cluster, "--sacct-file", path, "--format", "json", "--group-by",
               "user,account,partition,day"]))
    check("slurm jsonl " + sacct, schema("slurm-job.schema.json"),
          run(["slurm", "--cluster", cluster, "--sacct-file", path, "--format", "jsonl"]), lines=True)

when = ["when", "--runtime", "1h", "--cores", "1", "--core-power", "1000", "--pue", "1", "--intensity-series",
        os.path.join(fixtures, "series", "good_when.csv"), "--now", "2024-01-01T00:00Z", "--format", "json"]
check("when --format json", schema("when.schema.json"), run(when))
compare = ["compare", "--runtime", "100h", "--gpus", "8", "--gpu", "A100", "--format", "json"]
for extra in (["--region", "FR,DE,PL"], ["--region", "aws:*", "--top", "3", "--per", "1e6", "requests"],
              ["--region", "FR", "--intensity", "0,10"],
              ["--region", "FR", "--option", "gpu=H100 SXM,runtime=45h"]):
    check("compare " + " ".join(extra), schema("compare.schema.json"), run(compare + extra))
check("compare --start", schema("compare.schema.json"),
      run(["compare", "--runtime", "2h", "--gpus", "1", "--gpu", "A100", "--region", "FR,DE", "--start",
           "2024-01-01T10:00Z", "--intensity-series", "FR=" + os.path.join(fixtures, "series", "good_step.csv"),
           "--format", "json"]))
check("when --format json --top 2", schema("when.schema.json"), run(when + ["--top", "2"]))

for kind in ("cpus", "gpus", "regions", "providers", "equivalences"):
    check(f"list {kind}", schema("list.schema.json"), run(["list", kind, "--format", "json", "--match", "a"]))
for kind, name in (("cpu", "EPYC 7763"), ("gpu", "A100"), ("region", "FR"), ("provider", "aws")):
    check(f"show {kind}", schema("show.schema.json"), run(["show", kind, name, "--format", "json"]))

for f in failures:
    print("FAIL:", f)
print(f"{len(failures)} failure(s)" if failures else "all JSON outputs match their schemas")
sys.exit(1 if failures else 0)
