#!/usr/bin/env bash
# Regenerates kjv.txt.gz, the training corpus of the default model: the King James Version
# (1611; public domain) as printed by Debian's bible-kjv program (apt-get install bible-kjv,
# version 4.38), one verse per line without its number, each chapter headed "Book N" after a
# blank line. Deterministic: gzip -n stores no name or time.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
COLUMNS=100000 bible -l100000 "Gen1:1-Rev22:21" \
  | sed -E 's/^  *[0-9]+ //' | sed '1{/^$/d}' \
  | gzip -9 -n > "$here/kjv.txt.gz"
echo "wrote $here/kjv.txt.gz"
