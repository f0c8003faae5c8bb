#!/usr/bin/env bash
# Static checks of the Kubernetes manifests under deploy/kubernetes and the S3 policy files under deploy/s3, for
# machines without a cluster: nothing is applied anywhere. Needs node and npm (the npm registry, once: the
# validators are cached in ~/.cache/fgclip2-deploy-validate). KubernetesManifestsIT runs this in `mvn verify` and
# also checks that every FGCLIP2_* variable the manifests set is a setting of the application.
set -uo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
cache="${XDG_CACHE_HOME:-$HOME/.cache}/fgclip2-deploy-validate"
packages=(kubernetes-models@5.1.0 @kubernetes-models/keda@2.0.0 yaml@2.9.1)

command -v node >/dev/null && command -v npm >/dev/null || { echo "error: node and npm are needed" >&2; exit 2; }
stamp="$cache/installed-$(echo "${packages[*]}" | tr ' /@' '___')"
if [ ! -f "$stamp" ]; then
  mkdir -p "$cache"
  npm install --silent --no-audit --no-fund --no-save --prefix "$cache" "${packages[@]}" >/dev/null \
    || { echo "error: npm install ${packages[*]} failed (needs the npm registry)" >&2; exit 2; }
  touch "$stamp"
fi

failures=0
echo "== Kubernetes manifests against the Kubernetes and KEDA schemas, and against each other"
# Node resolves packages from the script's folder upwards: run a copy from inside the cache.
cp "$here/validate.mjs" "$cache/validate.mjs"
(cd "$here" && mapfile -t manifests < <(find kubernetes -name '*.yaml' | sort) \
  && node "$cache/validate.mjs" "${manifests[@]}") || failures=$((failures + 1))

echo "== S3 policy files (JSON)"
for f in "$here"/s3/*.json; do
  if node -e 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))' "$f"; then
    echo "   ok: ${f#"$here/"}"
  else
    echo "   FAILED: ${f#"$here/"} is not JSON"; failures=$((failures + 1))
  fi
done

echo
if [ "$failures" -gt 0 ]; then echo "deploy checks FAILED"; exit 1; fi
echo "all deploy checks passed (static: no cluster was contacted)"
