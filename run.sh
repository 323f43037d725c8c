#!/usr/bin/env bash
# tracuu: one script for a fresh machine.
#   bash run.sh        set up .venv, index corpus/, start the app on http://127.0.0.1:7860
#   bash run.sh test   set up .venv (with test extras and Chromium), run the tests
set -euo pipefail
cd "$(dirname "$0")"
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 TOKENIZERS_PARALLELISM=false
export PIP_DISABLE_PIP_VERSION_CHECK=1

setup() {
  local extras="$1"
  [ -x .venv/bin/python ] || python3 -m venv .venv
  local stamp=".venv/.tracuu-${extras:-base}-$(sha256sum pyproject.toml | cut -c1-16)"
  if [ ! -f "$stamp" ]; then
    # The CPU build of torch first: a plain "torch" would pull several GB of CUDA packages.
    .venv/bin/pip install -q "torch==2.13.0"
    .venv/bin/pip install -q -e ".${extras:+[$extras]}"
    touch "$stamp"
  fi
}

# Debian packages the features need: Tesseract with Vietnamese data (scanned directives), LibreOffice Writer
# (legacy .doc); Chromium for the browser tests (Playwright must not download its own browser).
SYSTEM_RUN="tesseract-ocr tesseract-ocr-vie libreoffice-writer-nogui"
SYSTEM_TEST="chromium fonts-dejavu-core"

system() {
  local missing=""
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing="$missing $pkg"; done
  [ -z "$missing" ] && return 0
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq $missing >/dev/null
}

case "${1:-run}" in
  test)
    setup test,ray
    system $SYSTEM_RUN $SYSTEM_TEST
    shift || true
    exec .venv/bin/python -m pytest -q "$@"
    ;;
  run)
    setup ""
    system $SYSTEM_RUN
    .venv/bin/tracuu index corpus/
    exec .venv/bin/python ui.py
    ;;
  *)
    echo "Cách dùng: bash run.sh [run|test]" >&2
    exit 2
    ;;
esac
