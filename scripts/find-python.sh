#!/bin/sh
# Print the newest Python >= 3.12 that actually runs here, or explain how to get one.
# Order: $PYTHON, python3.14 … python3.12 and python3 on PATH, then pyenv's versions.
ok() { "$1" -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; }

if [ -n "$PYTHON" ]; then
  if ok "$PYTHON"; then echo "$PYTHON"; exit 0; fi
  echo "PYTHON=$PYTHON is not a working Python 3.12 or newer (with venv)." >&2
  exit 1
fi
for candidate in python3.14 python3.13 python3.12 python3; do
  path=$(command -v "$candidate" 2>/dev/null) || continue
  if ok "$path"; then echo "$path"; exit 0; fi
done
if command -v pyenv >/dev/null 2>&1; then
  root=$(pyenv root)
  for path in $(ls -d "$root"/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV); do
    if ok "$path"; then echo "$path"; exit 0; fi
  done
fi
cat >&2 <<'MSG'
No Python 3.12 or newer was found (Django 6 needs one).
Install one, then run make again:
  Debian/Ubuntu: sudo apt install python3.12 python3.12-venv   (or python3.13)
  macOS:         brew install python@3.13
  any system:    pyenv install 3.13 && pyenv global 3.13
Or point at one you already have: make run PYTHON=/path/to/python3.13
MSG
exit 1
