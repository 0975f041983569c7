# Shared by bin/run and bin/test: make sure uv is there and the locked environment is installed.
#
# uv is called through the array UV, never by its bare name after installing it: on a pyenv
# Python the shim for a freshly pip-installed command only appears after `pyenv rehash`, a user
# install lands in ~/.local/bin (often not on PATH), and a virtualenv puts it in its own bin/.
# `python3 -m uv` finds the module in every one of those cases at once.
# shellcheck shell=bash
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PYTHON="${PYTHON:-python3}"
fail() { echo "$*" >&2; exit 1; }

command -v "$PYTHON" >/dev/null 2>&1 \
    || fail "Geen $PYTHON gevonden: installeer Python 3.11 of nieuwer (Debian: apt-get install python3 python3-venv) en draai dit commando opnieuw."

UV=()
if uv --version >/dev/null 2>&1; then
    UV=(uv)  # a uv that really runs (a pyenv shim without uv behind it fails here)
elif "$PYTHON" -m uv --version >/dev/null 2>&1; then
    UV=("$PYTHON" -m uv)
elif [ -x .tools/uv/bin/uv ] && .tools/uv/bin/uv --version >/dev/null 2>&1; then
    UV=(.tools/uv/bin/uv)
else
    echo "==> uv installeren (pip install uv)"
    pip_args=(--quiet --disable-pip-version-check --root-user-action=ignore)
    # Inside a virtualenv or as root pip installs where python3 looks; otherwise into the user's site.
    in_venv=$("$PYTHON" -c 'import sys; print(int(sys.prefix != sys.base_prefix))')
    if [ "$in_venv" = 0 ] && [ "$(id -u)" != 0 ]; then pip_args+=(--user); fi
    if "$PYTHON" -m pip install "${pip_args[@]}" uv >/dev/null 2>&1 && "$PYTHON" -m uv --version >/dev/null 2>&1; then
        UV=("$PYTHON" -m uv)
    else
        # A Python that refuses pip installs (Debian's "externally managed" system Python, or one
        # without pip): give uv a small virtualenv of its own inside the checkout.
        rm -rf .tools/uv
        if "$PYTHON" -m venv .tools/uv >/dev/null 2>&1 \
            && .tools/uv/bin/python -m pip install --quiet --disable-pip-version-check uv >/dev/null 2>&1 \
            && .tools/uv/bin/uv --version >/dev/null 2>&1; then
            UV=(.tools/uv/bin/uv)
        else
            rm -rf .tools/uv
            fail "uv kon niet geïnstalleerd worden: installeer het zelf (pip install uv, of apt-get install python3-venv) en draai dit commando opnieuw."
        fi
    fi
fi

echo "==> Python-omgeving uit uv.lock (uv sync --frozen --compile-bytecode)"
# Bytecode at install time: these machines set PYTHONDONTWRITEBYTECODE=1, so without it every
# process would compile Django and Wagtail from source again.
# uv sync checks the whole environment against the lock on every run, so a .venv that an
# interrupted run left half-built is repaired, never trusted. Should uv sync fail, the broken
# .venv is removed so the next run starts clean.
if ! "${UV[@]}" sync --frozen --quiet --compile-bytecode; then
    rm -rf .venv
    fail "De Python-omgeving kon niet gebouwd worden (zie de melding hierboven); controleer de verbinding met PyPI en draai dit commando opnieuw."
fi
