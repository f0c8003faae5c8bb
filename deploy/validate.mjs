// Schema and consistency checks of the Kubernetes manifests under deploy/kubernetes, run by deploy/validate.sh
// with the npm packages it installs (kubernetes-models: the Kubernetes OpenAPI schemas compiled to validators;
// @kubernetes-models/keda: KEDA's CRD schemas; yaml). Usage: node validate.mjs FILE...
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

let failures = 0;
const fail = (what) => { console.log(`   FAILED: ${what}`); failures++; };
const pass = (what) => console.log(`   ok: ${what}`);

// apiVersion "apps/v1" -> kubernetes-models/apps/v1/Kind; "v1" -> kubernetes-models/v1/Kind; KEDA's own package
function modulePath(apiVersion, kind) {
  if (apiVersion.startsWith("keda.sh/")) return `@kubernetes-models/keda/${apiVersion}/${kind}`;
  return `kubernetes-models/${apiVersion}/${kind}`;
}

const objects = [];
for (const file of process.argv.slice(2)) {
  const docs = parseAllDocuments(readFileSync(file, "utf8"));
  for (const doc of docs) {
    if (doc.errors.length) { fail(`${file}: YAML ${doc.errors.map((e) => e.message).join("; ")}`); continue; }
    const object = doc.toJS();
    if (object == null) continue;
    const name = `${file}: ${object.kind}/${object.metadata?.name}`;
    let Model;
    try {
      Model = (await import(modulePath(object.apiVersion, object.kind)))[object.kind];
    } catch (e) {
      fail(`${name}: no schema for ${object.apiVersion} ${object.kind} (${e.message})`);
      continue;
    }
    try {
      new Model(object).validate();
      pass(`${name} matches the ${object.apiVersion} ${object.kind} schema`);
      objects.push({ file, object });
    } catch (e) {
      fail(`${name}: ${e.message}`);
    }
  }
}

// The GPU StatefulSet must be the CPU one plus the lines marked "# GPU": a fix made in one file and forgotten in
// the other would otherwise ship.
const sets = objects.filter((o) => o.object.kind === "StatefulSet");
const cpu = sets.find((o) => o.file.includes("/base/"));
const gpu = sets.find((o) => o.file.includes("/gpu/"));
if (cpu && gpu) {
  const strip = (s) => JSON.parse(JSON.stringify(s));
  const a = strip(cpu.object);
  const b = strip(gpu.object);
  const ca = b.spec.template.spec.containers[0];
  delete b.spec.template.spec.tolerations;
  ca.image = a.spec.template.spec.containers[0].image;
  ca.env = ca.env.filter((e) => e.name !== "FGCLIP2_MODEL_DEVICE");
  for (const part of ["requests", "limits"]) delete ca.resources[part]["nvidia.com/gpu"];
  if (JSON.stringify(a) === JSON.stringify(b)) pass("gpu/statefulset.yaml = base/statefulset.yaml + the GPU lines");
  else fail("gpu/statefulset.yaml differs from base/statefulset.yaml beyond image, GPU resources, device, tolerations");
  const g = gpu.object.spec.template.spec.containers[0];
  if (g.resources.limits["nvidia.com/gpu"] >= 1) pass("the GPU variant requests nvidia.com/gpu");
  else fail("the GPU variant has no nvidia.com/gpu limit");
}

// Probes on the endpoints the application serves (OpsServer), on the container's named port.
for (const { file, object } of sets) {
  const c = object.spec.template.spec.containers[0];
  const port = (c.ports ?? []).find((p) => p.name === "http");
  const expect = { startupProbe: "/health/live", livenessProbe: "/health/live", readinessProbe: "/health/ready" };
  for (const [probe, path] of Object.entries(expect)) {
    const get = c[probe]?.httpGet;
    if (get?.path === path && get?.port === "http" && port?.containerPort === 8080) pass(`${file}: ${probe} on ${path}`);
    else fail(`${file}: ${probe} must GET ${path} on the http port (8080)`);
  }
  const s = c.startupProbe;
  const budget = s.periodSeconds * s.failureThreshold;
  if (budget >= 600) pass(`${file}: startupProbe allows ${budget} s for the model download`);
  else fail(`${file}: startupProbe allows only ${budget} s; the first start downloads about 1.5 GB`);
  const mounts = (c.volumeMounts ?? []).map((m) => m.mountPath);
  const claims = (object.spec.volumeClaimTemplates ?? []).map((t) => t.metadata.name);
  if (mounts.includes("/data") && claims.includes("state")) pass(`${file}: /data (state.dir) on a per-pod claim`);
  else fail(`${file}: the state dir /data needs a volumeClaimTemplate`);
}

// Selectors must select the pods.
const podLabels = cpu?.object.spec.template.metadata.labels ?? {};
for (const { file, object } of objects) {
  const selector = object.kind === "Service" ? object.spec.selector
    : object.kind === "PodDisruptionBudget" ? object.spec.selector.matchLabels : null;
  if (!selector) continue;
  if (Object.entries(selector).every(([k, v]) => podLabels[k] === v)) pass(`${file}: selector matches the pods`);
  else fail(`${file}: selector ${JSON.stringify(selector)} matches no pod of the StatefulSet`);
}

process.exit(failures > 0 ? 1 : 0);
