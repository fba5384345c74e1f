#!/usr/bin/python3
"""scripts/accuracy_table.py end to end: a small data-task sweep's --networks file becomes one
Markdown row per configuration with the right counts and the zero-initialised networks' 50% and
100% single class; bad input is one line on stderr and a non-zero exit.

Usage: test_accuracy_table.py SYMBREAK_BINARY SOURCE_DIR
"""
import os
import subprocess
import sys
import tempfile


def main(binary, source):
    script = os.path.join(source, "scripts", "accuracy_table.py")
    with tempfile.TemporaryDirectory() as work:
        networks = os.path.join(work, "networks.csv")
        subprocess.run([binary, "sweep", "--quiet", "--task", "circles:40", "--width", "4",
                        "--activation", "relu", "--init", "zeros,he-normal", "--seeds", "5",
                        "--epochs", "20", "--engine", "cpu-ref", "--networks", networks],
                       check=True)
        table = subprocess.run(["/usr/bin/python3", script, networks], check=True,
                               capture_output=True, text=True).stdout.splitlines()
        assert len(table) == 2 + 2, table
        zeros = [cell.strip() for cell in table[2].split("|")[1:-1]]
        assert zeros[:6] == ["circles:40", "1", "4", "relu", "zeros", "5"], zeros
        assert zeros[6:9] == ["50.0%", "50.0%", "[50.0, 50.0]"], zeros
        assert zeros[-1] == "100.0%", zeros
        assert "he-normal" in table[3], table[3]

        bad = subprocess.run(["/usr/bin/python3", script, os.path.join(work, "missing.csv")],
                             capture_output=True, text=True)
        assert bad.returncode != 0 and bad.stdout == "", bad
        assert bad.stderr.count("\n") == 1 and "missing.csv" in bad.stderr, bad.stderr
    print("accuracy_table.py: OK")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
