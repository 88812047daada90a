#!/usr/bin/env python3
"""Lists the C++ functions longer than a limit (default 100 lines, the project's guide: "no
function over ~100 lines without a reason written beside it"), longest first.

    scripts/long-functions.py [--limit=N] [--all] [PATH...]     (default PATH: src)

A function is reported unless one of the five lines above its first line holds a comment with
`long-function:` followed by the reason (e.g. `// long-function: one switch over the 30 flags`);
--all lists those too, marked. Exit status 1 when an unjustified one is found.

A brace-matching heuristic, not a parser (clang-tidy's readability-function-size needs a second
full Clang pass, minutes on two cores): comments, string and character literals are blanked; a
`{` whose preceding statement text ends in `)` (optionally followed by const, noexcept, override,
a trailing return type or a constructor's initializer list) and does not start with a control
keyword opens a function body when it sits at namespace or class scope. Lambdas and local blocks
count as part of their enclosing function. Python 3 standard library only."""
import pathlib
import re
import sys

CONTROL = re.compile(r"^\s*(if|for|while|switch|catch|do|else|return|case)\b")
SIGNATURE_END = re.compile(r"\)\s*((const|noexcept|override|final|mutable|&|&&)\s*|->[^;]*)*$")
INIT_LIST = re.compile(r"\)\s*(noexcept\s*)?:\s*[\w:]+\s*[({]")
SCOPE = re.compile(r"\b(namespace|struct|class|union|enum)\b[^()]*$")


def blank(text: str) -> str:
    """Comments and literals replaced by spaces (newlines kept, so line numbers hold)."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif text.startswith('R"', i) and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")):
            m = re.match(r'R"([^(\s]*)\(', text[i:])
            if m is None:
                out.append(c)
                i += 1
                continue
            end = text.find(")" + m.group(1) + '"', i)
            j = n if end < 0 else end + len(m.group(1)) + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif c in "\"'":
            if c == "'" and i > 0 and text[i - 1].isalnum():  # digit separator 1'000'000
                out.append(" ")
                i += 1
                continue
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            out.append(" " * (min(j, n - 1) - i + 1))
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def functions(path: pathlib.Path):
    """(first line, last line, signature) of every function body at namespace or class scope."""
    text = blank(path.read_text(encoding="utf-8", errors="replace"))
    stack = []  # each open brace: "scope", "func" or "block"
    stmt_start = 0
    line = 1
    start = {}
    for i, c in enumerate(text):
        if c == "\n":
            line += 1
        elif c == "{":
            head = text[stmt_start:i]
            inside_func = "func" in stack
            kind = "block"
            if not inside_func:
                flat = " ".join(head.split())
                if SCOPE.search(flat) or flat.startswith("extern"):
                    kind = "scope"
                elif (SIGNATURE_END.search(flat) or INIT_LIST.search(flat)) and not CONTROL.match(flat) \
                        and "=" not in flat.split("(")[0]:
                    kind = "func"
                elif re.search(r"\w$", flat):
                    kind = "init"  # a member's brace initializer in a constructor's initializer list
            stack.append(kind)
            if kind == "func":
                start[len(stack)] = (line, " ".join(head.split())[:90])
            stmt_start = i + 1
        elif c == "}":
            if stack:
                if stack[-1] == "func" and len(stack) in start:
                    first, sig = start.pop(len(stack))
                    yield first, line, sig
                if stack.pop() == "init":
                    continue
            stmt_start = i + 1
        elif c == ";":
            stmt_start = i + 1


def justified(lines, first: int) -> bool:
    for k in range(max(0, first - 6), first):
        if "long-function:" in lines[k]:
            return True
    return False


def main() -> int:
    limit = 100
    show_all = False
    paths = []
    for a in sys.argv[1:]:
        if a.startswith("--limit="):
            limit = int(a.split("=", 1)[1])
        elif a == "--all":
            show_all = True
        else:
            paths.append(a)
    files = []
    for p in paths or ["src"]:
        root = pathlib.Path(p)
        files += [root] if root.is_file() else sorted(root.rglob("*.cpp")) + sorted(root.rglob("*.hpp"))
    found = []
    for f in files:
        raw = f.read_text(encoding="utf-8", errors="replace").splitlines()
        for first, last, sig in functions(f):
            length = last - first + 1
            if length > limit:
                found.append((length, f, first, sig, justified(raw, first)))
    bad = 0
    for length, f, first, sig, ok in sorted(found, key=lambda t: -t[0]):
        if ok and not show_all:
            continue
        bad += not ok
        print(f"{length:5d}  {f}:{first}  {'(justified) ' if ok else ''}{sig}")
    if bad:
        print(f"{bad} function(s) over {limit} lines without a `long-function:` reason", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
