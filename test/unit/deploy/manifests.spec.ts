// biome-ignore-all lint/suspicious/noExplicitAny: parsed YAML, walked by the paths each kind must have.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { parse, parseAllDocuments } from 'yaml';
import { envSchema, SECRET_VARIABLES } from '../../../adapters/config/schemas.ts';

// No cluster and no kubeconform here: these check that every deployment file parses, and that the Kubernetes
// objects have the shape of their apiVersion/kind and say what README.md, "Deployment", promises.
const ROOT = new URL('../../../', import.meta.url).pathname;
const K8S = join(ROOT, 'deploy/kubernetes');
/** Accepted for one release only: a new deployment does not start on them. */
const DEPRECATED = ['DEVICE_WEBHOOK_SECRET', 'SECURITY_WEBHOOK_SECRET'];
const SECRETS = SECRET_VARIABLES.filter((name) => !DEPRECATED.includes(name));
// REDIS_URL is optional in deployment.yaml so a Sentinel or Cluster setup can leave it out.
const REQUIRED_SECRETS = ['PIN_PEPPER', 'AUDIT_KEY', 'PORTAL_API_KEYS', 'DEVICE_WEBHOOK_SECRETS', 'SMTP_URL'];
const KNOWN = new Set([...Object.keys(envSchema.properties), ...SECRETS.map((name) => `${name}_FILE`)]);

type Obj = Record<string, any>;
const SHAPES: Record<string, { apiVersion: string; required: string[] }> = {
  Deployment: { apiVersion: 'apps/v1', required: ['spec.selector.matchLabels', 'spec.template.spec.containers'] },
  Service: { apiVersion: 'v1', required: ['spec.selector', 'spec.ports'] },
  PodDisruptionBudget: { apiVersion: 'policy/v1', required: ['spec.selector.matchLabels'] },
  ConfigMap: { apiVersion: 'v1', required: ['data'] },
  Secret: { apiVersion: 'v1', required: ['stringData'] },
  Kustomization: { apiVersion: 'kustomize.config.k8s.io/v1beta1', required: ['resources'] },
};
const at = (object: Obj, path: string): any => path.split('.').reduce((o: any, key) => o?.[key], object);

function objects(file: string): Obj[] {
  const documents = parseAllDocuments(readFileSync(join(K8S, file), 'utf8'));
  for (const document of documents) expect(document.errors, file).to.deep.equal([]);
  return documents.map((document) => document.toJS() as Obj);
}

function deployment(file: string): { spec: Obj; container: Obj; env: Obj[] } {
  const [object] = objects(file);
  const spec = at(object ?? {}, 'spec.template.spec') as Obj;
  const container = spec.containers[0] as Obj;
  return { spec, container, env: container.env as Obj[] };
}

describe('deployment files', () => {
  it('parse, and every Kubernetes object has the apiVersion, metadata and fields of its kind', () => {
    const files = readdirSync(K8S).filter((name) => name.endsWith('.yaml'));
    expect(files).to.include.members([
      'deployment.yaml',
      'deployment-secret-files.yaml',
      'service.yaml',
      'poddisruptionbudget.yaml',
      'configmap.yaml',
      'secret.example.yaml',
      'kustomization.yaml',
    ]);
    for (const file of files) {
      for (const object of objects(file)) {
        const shape = SHAPES[object.kind];
        expect(shape, `${file}: kind ${object.kind}`).to.not.equal(undefined);
        expect(object.apiVersion, file).to.equal(shape?.apiVersion);
        if (object.kind !== 'Kustomization') expect(object.metadata?.name, file).to.match(/^[a-z0-9-]{1,63}$/u);
        for (const path of shape?.required ?? []) expect(at(object, path), `${file}: ${path}`).to.not.equal(undefined);
        if (object.kind === 'Deployment' || object.kind === 'PodDisruptionBudget' || object.kind === 'Service') {
          const selector = object.spec.selector.matchLabels ?? object.spec.selector;
          expect(selector, `${file} selects the app`).to.deep.equal({ 'app.kubernetes.io/name': 'support-verify' });
        }
      }
    }
    for (const resource of objects('kustomization.yaml')[0]?.resources ?? [])
      expect(files, 'kustomization resources exist').to.include(resource);
  });

  for (const file of ['deployment.yaml', 'deployment-secret-files.yaml']) {
    it(`${file}: 3 non-root read-only replicas, the probes on /readyz and /healthz, a drain within the grace period`, () => {
      const [object] = objects(file);
      expect(object?.spec.replicas).to.equal(3);
      expect(object?.spec.template.metadata.labels).to.deep.equal(object?.spec.selector.matchLabels);
      const { spec, container } = deployment(file);
      expect(spec.securityContext).to.include({ runAsNonRoot: true, runAsUser: 10001 });
      expect(container.securityContext).to.deep.include({
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
      });
      expect(container.readinessProbe.httpGet.path).to.equal('/readyz');
      expect(container.livenessProbe.httpGet.path, 'liveness never follows Redis').to.equal('/healthz');
      expect(container.startupProbe.httpGet.path).to.equal('/healthz');
      for (const probe of ['readinessProbe', 'livenessProbe', 'startupProbe'])
        expect(container[probe].httpGet.port).to.equal(container.ports[0].name);
      expect(container.resources.requests).to.have.keys('cpu', 'memory');
      const mounts = container.volumeMounts.map((m: Obj) => m.mountPath);
      expect(mounts).to.include.members(['/tmp', '/etc/support-verify']);
      const drain = Number(objects('configmap.yaml')[0]?.data.SHUTDOWN_DRAIN_SECONDS);
      expect(drain).to.be.within(1, 10);
      // The app gives itself drain + 10 s after SIGTERM before it exits 1.
      expect(spec.terminationGracePeriodSeconds).to.be.at.least(drain + 10);
    });
  }

  it('deployment.yaml reads every secret variable from the Secret, the required ones not optional', () => {
    const { env } = deployment('deployment.yaml');
    const secretKeys = Object.keys(objects('secret.example.yaml')[0]?.stringData ?? {});
    for (const name of SECRETS) {
      const entry = env.find((e) => e.name === name);
      expect(entry?.valueFrom?.secretKeyRef, name).to.deep.include({ name: 'support-verify-secrets', key: name });
      expect(Boolean(entry?.valueFrom.secretKeyRef.optional), `${name} optional`).to.equal(
        !REQUIRED_SECRETS.includes(name),
      );
    }
    expect(secretKeys, 'the template holds every required key, and REDIS_URL').to.include.members([
      ...REQUIRED_SECRETS,
      'REDIS_URL',
    ]);
    for (const { name } of env) expect(KNOWN.has(name), `${name} is a variable the app reads`).to.equal(true);
  });

  it('deployment-secret-files.yaml reads the required secrets from mounted files (NAME_FILE), the rest as optional env', () => {
    const { spec, container, env } = deployment('deployment-secret-files.yaml');
    const mount = container.volumeMounts.find((m: Obj) => m.name === 'secrets');
    const volume = spec.volumes.find((v: Obj) => v.name === 'secrets');
    expect(mount.readOnly).to.equal(true);
    expect(volume.secret.secretName).to.equal('support-verify-secrets');
    const files = volume.secret.items.map((item: Obj) => item.path);
    // This variant mounts REDIS_URL as a file too; a Sentinel setup drops that item and its _FILE variable.
    const mounted = [...REQUIRED_SECRETS, 'REDIS_URL'];
    for (const name of SECRETS) {
      const file = env.find((e) => e.name === `${name}_FILE`);
      const direct = env.find((e) => e.name === name);
      expect(Boolean(file) !== Boolean(direct), `${name}: one way, not both`).to.equal(true);
      if (mounted.includes(name)) {
        expect(file?.value, name).to.equal(`${mount.mountPath}/${name}`);
        expect(files).to.include(name);
      } else expect(direct?.valueFrom.secretKeyRef.optional, name).to.equal(true);
    }
    expect(volume.secret.defaultMode, '0440: the fsGroup reads, nobody else').to.equal(0o440);
    for (const { name } of env) expect(KNOWN.has(name), `${name} is a variable the app reads`).to.equal(true);
  });

  it('the PodDisruptionBudget keeps 2 of 3 serving; the Service reaches the http port', () => {
    const [pdb] = objects('poddisruptionbudget.yaml');
    expect(pdb?.spec.minAvailable).to.equal(2);
    const [service] = objects('service.yaml');
    expect(service?.spec.ports[0].targetPort).to.equal('http');
  });

  it('the CONFIG_FILE in the ConfigMap is JSON, mounted where CONFIG_FILE says', () => {
    const [env, config] = objects('configmap.yaml');
    expect(() => JSON.parse(config?.data['config.json'])).to.not.throw();
    expect(env?.data.CONFIG_FILE).to.equal('/etc/support-verify/config.json');
    for (const name of Object.keys(env?.data ?? {})) expect(KNOWN.has(name), name).to.equal(true);
  });

  it('compose.yaml: Redis with AOF and noeviction, the app after it is healthy, secrets as *_FILE', () => {
    const compose = parse(readFileSync(join(ROOT, 'deploy/compose.yaml'), 'utf8'), { merge: true }) as Obj;
    const { app, redis } = compose.services;
    expect(app.depends_on.redis.condition).to.equal('service_healthy');
    expect(redis.command.join(' ')).to.contain('--appendonly yes').and.contain('--maxmemory-policy noeviction');
    expect(app.healthcheck.test.join(' ')).to.contain('/healthz');
    for (const secret of app.secrets as string[]) {
      expect(compose.secrets[secret], secret).to.have.property('file');
      const variable = Object.entries(app.environment).find(([, value]) => value === `/run/secrets/${secret}`);
      expect(variable?.[0], secret).to.match(/_FILE$/u);
      expect(KNOWN.has(variable?.[0] ?? ''), variable?.[0]).to.equal(true);
    }
    for (const name of Object.keys(app.environment)) expect(KNOWN.has(name), name).to.equal(true);
    const sentinel = compose.services['app-sentinel'];
    expect(sentinel.profiles).to.deep.equal(['sentinel']);
    expect(sentinel.environment.REDIS_SENTINELS.split(',')).to.have.length(3);
    expect(sentinel.environment).to.not.have.property('REDIS_URL');
  });

  it('the Dockerfile defaults to the upstream Node 24 image, runs as uid 10001, with a HEALTHCHECK', () => {
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    expect(dockerfile).to.match(/^ARG NODE_IMAGE=node:24-bookworm-slim$/mu);
    expect(dockerfile).to.match(/^USER 10001:10001$/mu);
    expect(dockerfile).to.match(/^HEALTHCHECK .*\n.*\/healthz/mu);
    expect(dockerfile).to.match(/^ARG EXTRA_CA_CERT=""$/mu);
    expect(dockerfile).to.match(/^CMD \["node", "dist\/bots\/main\.js"\]$/mu);
  });
});
