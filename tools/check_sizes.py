#!/usr/bin/python3
"""Readable pieces: every source file at most 400 lines, every function at most 60.

    tools/check_sizes.py [ROOT]

Function extents come from Universal Ctags (its `end` field), for C++ and Python. Prints
each file or function over its limit and exits 1 if there is any (a ctest entry runs it).
"""
import json
import os
import subprocess
import sys

MAX_FILE_LINES = 400
MAX_FUNCTION_LINES = 60
SOURCES = (".cpp", ".h", ".py", ".sh")
FOLDERS = ("daemon", "include", "tests", "bench", "tools", "bridge")


def source_files(root):
    for folder in FOLDERS:
        for dirpath, _, names in os.walk(os.path.join(root, folder)):
            for name in sorted(names):
                if name.endswith(SOURCES):
                    yield os.path.join(dirpath, name)


def long_functions(path):
    out = subprocess.run(["ctags", "--fields=+ne", "--output-format=json", "--kinds-C++=f",
                          "--kinds-Python=fm", "-o", "-", path],
                         capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        tag = json.loads(line)
        if "end" in tag and tag["end"] - tag["line"] + 1 > MAX_FUNCTION_LINES:
            yield tag["name"], tag["line"], tag["end"] - tag["line"] + 1


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..")
    problems = []
    files = 0
    for path in source_files(root):
        files += 1
        rel = os.path.relpath(path, root)
        with open(path, errors="replace") as f:
            lines = sum(1 for _ in f)
        if lines > MAX_FILE_LINES:
            problems.append(f"{rel}: {lines} lines (at most {MAX_FILE_LINES})")
        for name, line, length in long_functions(path):
            problems.append(f"{rel}:{line}: {name} is {length} lines (at most {MAX_FUNCTION_LINES})")
    for p in problems:
        print(p)
    print(f"check_sizes: {files} files, {len(problems)} over the limits")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
