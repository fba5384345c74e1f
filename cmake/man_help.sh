#!/bin/sh
# What help2man reads to write symbreak(1): the first line of `--version` ("symbreak 0.1.0"; the
# commit and CUDA lines describe one build, not the program), and for `--help` the top-level help
# (less its one-line description: docs/symbreak.h2m has a longer one) followed by every
# subcommand's options under headings of their own ("sweep, run:"), so that the man page documents
# each subcommand, not only its name.
# Usage (the symbreak_man target): man_help.sh SYMBREAK_BINARY --help|--version
set -eu
bin=$1
case ${2:-} in
  --version)
    "$bin" --version | head -n 1
    exit
    ;;
  --help) ;;
  *)
    echo "usage: man_help.sh SYMBREAK_BINARY --help|--version" >&2
    exit 2
    ;;
esac
"$bin" --help | sed '1d; s|^Usage: [^ ]*|Usage: symbreak|'
subcommands=$("$bin" --help | awk '/^Subcommands:/ { on = 1; next } on && NF { print $1 }')
for name in $subcommands; do
  "$bin" "$name" --help | awk -v name="$name" '
    NR == 1 { next }  # its description, already in the list of subcommands
    /^Usage:/ { printf "\nsymbreak %s:\n  symbreak %s [OPTIONS]\n", name, name; next }
    /^Options:$/ || /^  -h,--help / || /^  --help-all / { next }
    /^[A-Z][^:]*:$/ { printf "%s, %s%s\n", name, tolower(substr($0, 1, 1)), substr($0, 2); next }
    { print }' | cat -s
done
