#!/usr/bin/env bash
# Tests `cmake --install`: installs the build into a temporary prefix and runs what landed there —
# bin/symbreak --version and the `version` subcommand, share/symbreak/plot.py, and the man page
# share/man/man1/symbreak.1 (its NAME section, and `man -l` when man is installed).
# Usage: test_install.sh BUILD_DIR CONFIG HAVE_MAN (1 when help2man built the man page, else 0).
# Exit 0: passed; 1: failed; 77: skipped the man page (help2man missing), everything else passed.
set -euo pipefail
build=$1 config=$2 have_man=$3

fail() {
  echo "test_install: FAIL: $*" >&2
  exit 1
}

prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build" --config "$config" --prefix "$prefix" >/dev/null ||
  fail "cmake --install into $prefix failed"

bin=$prefix/bin/symbreak
[[ -x $bin ]] || fail "$bin not installed"
version=$("$bin" --version) || fail "symbreak --version exited with status $?"
[[ $version =~ ^symbreak\ [0-9]+\.[0-9]+\.[0-9]+ ]] || fail "first line of --version: ${version%%$'\n'*}"
for field in "commit:" "build type:" "CUDA:"; do
  grep -q "^$field" <<<"$version" || fail "--version has no '$field' line"
done
[[ $("$bin" version) == "$version" ]] || fail "symbreak version differs from symbreak --version"
echo "$version"

[[ -x $prefix/share/symbreak/plot.py ]] || fail "share/symbreak/plot.py not installed"

page=$prefix/share/man/man1/symbreak.1
if [[ $have_man != 1 ]]; then
  [[ ! -e $page ]] || fail "a man page was installed although help2man was not found"
  echo "test_install: SKIP the man page: help2man was not found at configure time"
  exit 77
fi
[[ -f $page ]] || fail "$page not installed"
grep -q '^\.SH NAME' "$page" || fail "$page has no NAME section"
grep -q -- 'symbreak \\- ' "$page" || fail "$page's NAME section does not name symbreak"
grep -qF -- '\-\-width' "$page" || fail "$page lacks the options of symbreak sweep"
if command -v man >/dev/null; then
  text=$(MANWIDTH=80 man -l "$page" 2>/dev/null) || fail "man -l $page failed"
  grep -q '^NAME' <<<"$text" || fail "man -l $page shows no NAME section"
  grep -q 'EXIT STATUS' <<<"$text" || fail "man -l $page shows no EXIT STATUS section"
  grep -q 'symbreak verify:' <<<"$text" || fail "man -l $page does not document symbreak verify"
  echo "man -l: $(grep -A1 '^NAME' <<<"$text" | tail -1 | sed 's/^ *//')"
fi
echo "test_install: PASS ($prefix)"
