#!/usr/bin/env bash
# Dependency audit: the installed environment (what `pip install -e ".[test]"` put
# in the active venv) checked against PyPI's advisory data with pip-audit.
#
#   bash scripts/audit.sh         # exit 0: clean or skipped; 1: known vulnerabilities
#
# When the advisory data cannot be reached (no network, a proxy), it says so on
# one line and exits 0: an offline CI run is never failed for lack of network.
# Accepted advisories (with the reason) go in scripts/audit-ignore.txt, one id a line.
set -uo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-python}"
ADVISORIES="https://pypi.org/pypi"

if ! "$PY" -c "import pip_audit" 2>/dev/null; then
    echo "dependency audit skipped: pip-audit is not installed (pip install -e '.[test]')"
    exit 0
fi
# The probe asks what pip-audit will ask: the advisories of one installed release
# (a mirror that only serves package indexes does not count as reachable).
if ! "$PY" - "$ADVISORIES" <<'PY' 2>/dev/null; then
import json, sys, urllib.request
from importlib.metadata import version
url = f"{sys.argv[1]}/aiohttp/{version('aiohttp')}/json"
data = json.load(urllib.request.urlopen(url, timeout=10))
sys.exit(0 if "vulnerabilities" in data else 1)
PY
    echo "dependency audit skipped: advisory data unreachable ($ADVISORIES/<package>/<version>/json)"
    exit 0
fi

ignores=()
if [[ -f scripts/audit-ignore.txt ]]; then
    while read -r id _; do
        [[ -z "$id" || "$id" == \#* ]] && continue
        ignores+=(--ignore-vuln "$id")
    done < scripts/audit-ignore.txt
fi
# --skip-editable: symbiose itself is not on PyPI. Network errors during the run
# itself (exit 1 with no finding) are told apart below.
out="$(mktemp)"
"$PY" -m pip_audit --skip-editable --progress-spinner off --vulnerability-service pypi \
    "${ignores[@]}" >"$out" 2>&1
status=$?
cat "$out"
if [[ $status -ne 0 ]] && grep -qiE "connection|timed out|name resolution|max retries" "$out" \
        && ! grep -qE "^Found [0-9]+ known vulnerabilit" "$out"; then
    echo "dependency audit skipped: advisory data became unreachable during the run"
    status=0
fi
unaudited=$(grep -c "could not be audited" "$out" || true)
if [[ "$unaudited" -gt 0 ]]; then
    echo "dependency audit incomplete: $unaudited installed packages could not be audited"
fi
rm -f "$out"
exit $status
