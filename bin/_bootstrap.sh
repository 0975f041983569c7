# Shared by bin/run and bin/test: make sure uv is there and the locked environment is installed.
# shellcheck shell=bash
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="$HOME/.local/bin:$PATH"
if ! command -v uv >/dev/null 2>&1; then
    echo "==> uv installeren (pip install uv)"
    if [ "$(id -u)" = 0 ]; then python3 -m pip install --quiet uv; else python3 -m pip install --quiet --user uv; fi
fi
echo "==> Python-omgeving uit uv.lock (uv sync --frozen --compile-bytecode)"
# Bytecode at install time: these machines set PYTHONDONTWRITEBYTECODE=1, so without it every
# process would compile Django and Wagtail from source again.
uv sync --frozen --quiet --compile-bytecode
