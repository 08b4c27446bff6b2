import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { EnvReader } from '@korpu/config';
import { readKafkaOptions } from '@korpu/messaging';
import { repoRoot } from '@korpu/testing';
import { ensureDevPki } from '../../certs-dev/dev-pki';

/**
 * The deployment files, checked with real tools and no network: the Helm chart (deploy/kubernetes/korpu) with
 * `helm lint` and `helm template` of helm built from the Go module proxy (scripts/ensure-helm.sh), the rendered
 * manifests decoded strictly into the Kubernetes API types and Prometheus Operator's (deploy/tools/validate), the
 * compose file (deploy/compose) loaded by compose-go, the spec's own loader; and the images' entry point. In the e2e
 * project because it runs binaries; the tools are built once (a few minutes) and cached in ~/.cache/korpu/tools.
 */
const run = promisify(execFile);
const chart = path.join(repoRoot, 'deploy/kubernetes/korpu');
const composeFile = path.join(repoRoot, 'deploy/compose/compose.yaml');
const APPS = ['gateway', 'dispatcher', 'partner-endpoint'];
let helm: string;
let validate: string;
let work: string;

const tool = async (script: string) => (await run('bash', [path.join(repoRoot, 'scripts', script)], { maxBuffer: 1 << 20 })).stdout.trim();

beforeAll(async () => {
  helm = await tool('ensure-helm.sh');
  validate = await tool('ensure-deploy-validator.sh');
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'korpu-deploy-'));
}, 900000);

afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

interface Summary {
  kind: string;
  name: string;
  volumes?: string[];
  containers?: Array<{ name: string; image: string; liveness: string; readiness: string; hasRequests: boolean; hasLimits: boolean; runAsNonRoot: boolean; secretEnv: number; plainSecretLikeEnv?: string[] }>;
}

async function renderAndValidate(...args: string[]): Promise<{ summary: Summary[]; manifests: string }> {
  const { stdout: manifests } = await run(helm, ['template', 'korpu', chart, '--kube-version', '1.31.0', ...args], { maxBuffer: 16 << 20 });
  const file = path.join(work, 'rendered.yaml');
  fs.writeFileSync(file, manifests);
  const { stdout } = await run(validate, ['manifests', file], { maxBuffer: 16 << 20 });
  return { summary: JSON.parse(stdout) as Summary[], manifests };
}

const filesUnder = (dir: string): string[] =>
  fs.readdirSync(dir, { withFileTypes: true, recursive: true }).filter((entry) => entry.isFile() && !entry.name.endsWith('.md')).map((entry) => entry.name);

describe('the Helm chart', () => {
  it('passes helm lint --strict', async () => {
    const { stdout } = await run(helm, ['lint', '--strict', chart, '--kube-version', '1.31.0']);
    expect(stdout).toContain('1 chart(s) linted, 0 chart(s) failed');
  });

  it('renders manifests that decode strictly into the Kubernetes API types: every app with probes, resources, a PDB, an HPA, a NetworkPolicy and a ServiceMonitor', async () => {
    const { summary, manifests } = await renderAndValidate();
    const names = (kind: string) => summary.filter((o) => o.kind === kind).map((o) => o.name).sort();
    const expected = APPS.map((app) => `korpu-${app}`).sort();
    for (const kind of ['Deployment', 'Service', 'PodDisruptionBudget', 'HorizontalPodAutoscaler', 'ServiceMonitor']) expect(names(kind)).toEqual(expected);
    expect(names('NetworkPolicy')).toEqual(['korpu-default-deny', ...expected].sort());
    for (const deployment of summary.filter((o) => o.kind === 'Deployment')) {
      const [container] = deployment.containers ?? [];
      expect(container).toMatchObject({ liveness: '/health', readiness: '/ready', hasRequests: true, hasLimits: true, runAsNonRoot: true });
      // Secrets come from Secret objects (secretKeyRef or mounted files), never as plain values.
      expect(container.secretEnv).toBeGreaterThanOrEqual(3);
      expect(container.plainSecretLikeEnv ?? []).toEqual([]);
    }
    // Only the partner endpoint faces partners: the one Service exposed outside the cluster, the one ingress from anywhere.
    expect(manifests.match(/type: LoadBalancer/g)).toHaveLength(1);
    expect(manifests).toMatch(/name: korpu-partner-endpoint\n[\s\S]*?type: LoadBalancer/);
    expect(manifests.match(/cidr: 0\.0\.0\.0\/0/g)).toHaveLength(2); // partner endpoint ingress, dispatcher egress to partners
    expect(manifests).not.toMatch(/BEGIN (RSA |EC )?PRIVATE KEY|password: /);
  }, 120000);

  it('ships every contract and schema file in ConfigMaps', async () => {
    const { manifests } = await renderAndValidate();
    for (const [folder, map] of [['contracts', 'korpu-contracts'], ['schemas', 'korpu-schemas']]) {
      const block = manifests.split('\n---\n').find((doc) => doc.includes(`name: ${map}\n`)) ?? '';
      const keys = [...block.matchAll(/^ {2}"([^"]+)": /gm)].map((m) => m[1].split('__').pop());
      expect(keys.sort()).toEqual(filesUnder(path.join(repoRoot, folder)).sort());
    }
  }, 120000);

  it('renders valid manifests without the Prometheus Operator and with a plain-HTTP partner endpoint', async () => {
    const { summary, manifests } = await renderAndValidate('--set', 'metrics.serviceMonitor.enabled=false', '--set', 'apps.partnerEndpoint.env.PARTNER_ENDPOINT_TLS=off');
    expect(summary.filter((o) => o.kind === 'ServiceMonitor')).toEqual([]);
    expect(manifests).toMatch(/prometheus\.io\/port: "8082"\n\s+prometheus\.io\/path: \/metrics\n\s+prometheus\.io\/scheme: http\n/);
  }, 120000);

  it('sends traces to the collector only when tracing.otlpEndpoint is set, with the egress to it and each pod as its instance', async () => {
    const off = await renderAndValidate();
    expect(off.manifests).not.toContain('OTEL_EXPORTER_OTLP_ENDPOINT');
    const on = await renderAndValidate('--set', 'tracing.otlpEndpoint=http://otel-collector.observability:4318', '--set', 'tracing.cidr=10.40.1.0/24');
    const deployments = on.manifests.split('\n---\n').filter((doc) => /^kind: Deployment$/m.test(doc));
    expect(deployments.length).toBeGreaterThanOrEqual(3);
    for (const doc of deployments) {
      expect(doc).toMatch(/- name: OTEL_EXPORTER_OTLP_ENDPOINT\n\s+value: "http:\/\/otel-collector\.observability:4318"/);
      expect(doc).toMatch(/- name: OTEL_TRACES_SAMPLE_PERCENT\n\s+value: "10"/);
      expect(doc).toMatch(/- name: OTEL_SERVICE_INSTANCE_ID\n\s+valueFrom: \{ fieldRef: \{ fieldPath: metadata\.name \} \}/);
    }
    // The apps' policies (the default-deny one has no egress rules to extend).
    const policies = on.manifests.split('\n---\n').filter((doc) => /^kind: NetworkPolicy$/m.test(doc) && doc.includes('  egress:'));
    expect(policies.length).toBeGreaterThanOrEqual(3);
    for (const doc of policies) expect(doc).toMatch(/cidr: 10\.40\.1\.0\/24 \}\n\s+ports:\n\s+- \{ protocol: TCP, port: 4318 \}/);
  }, 120000);

  it('speaks SASL_SSL to the brokers by default: KAFKA_SSL with the CA from its Secret, a configuration the apps accept in production', async () => {
    const { summary, manifests } = await renderAndValidate();
    const envMap = manifests.split('\n---\n').find((doc) => doc.includes('name: korpu-env\n')) ?? '';
    const env = Object.fromEntries([...envMap.matchAll(/^ {2}([A-Z_]+): "?([^"\n]*)"?$/gm)].map((m) => [m[1], m[2]]));
    expect(env).toMatchObject({ KAFKA_PROFILE: 'production', KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: '/etc/korpu/kafka-ca/ca.crt' });
    expect(env.KAFKA_ALLOW_PLAINTEXT).toBeUndefined();
    for (const deployment of summary.filter((o) => o.kind === 'Deployment')) expect(deployment.volumes).toContain('kafka-ca');
    const deployments = manifests.split('\n---\n').filter((doc) => /^kind: Deployment$/m.test(doc));
    for (const doc of deployments) {
      expect(doc).toContain('- { name: kafka-ca, mountPath: /etc/korpu/kafka-ca, readOnly: true }');
      expect(doc).toMatch(/- name: kafka-ca\n\s+secret:\n\s+secretName: korpu-kafka-ca\n[\s\S]*?- \{ key: ca\.crt, path: ca\.crt \}/);
    }
    // The rendered Kafka variables pass the apps' own configuration check (the CA path mapped to the dev PKI's bundle).
    const pki = await ensureDevPki(path.join(repoRoot, 'certs-dev/out'));
    const passwordFile = path.join(work, 'kafka-password');
    fs.writeFileSync(passwordFile, 'not-a-real-password\n');
    const files: Record<string, string> = { '/etc/korpu/kafka-ca/ca.crt': pki.trustBundle, '/etc/korpu/kafka/password': passwordFile };
    const read = new EnvReader({ ...env, KAFKA_SASL_USERNAME: 'korpu-gateway', KAFKA_SASL_PASSWORD_FILE: '/etc/korpu/kafka/password' });
    const options = readKafkaOptions(read, 'chart', (file) => fs.readFileSync(files[file] ?? file, 'utf8'));
    read.done();
    expect(options.ssl?.ca).toContain('BEGIN CERTIFICATE');
  }, 120000);

  it('refuses to render production without TLS unless kafka.tls.allowPlaintext, and mounts client certificates when asked', async () => {
    const refused = await run(helm, ['template', 'korpu', chart, '--kube-version', '1.31.0', '--set', 'kafka.tls.enabled=false']).then(
      () => '',
      (error: { stderr?: string }) => error.stderr ?? '',
    );
    expect(refused).toContain('kafka.tls.enabled=false with kafka.profile=production');
    const plaintext = await renderAndValidate('--set', 'kafka.tls.enabled=false', '--set', 'kafka.tls.allowPlaintext=true');
    expect(plaintext.manifests).toContain('KAFKA_ALLOW_PLAINTEXT: "true"');
    expect(plaintext.manifests).not.toMatch(/KAFKA_SSL|kafka-ca/);
    const mutual = await renderAndValidate('--set', 'kafka.tls.clientCertificates=true', '--set', 'kafka.tls.serverName=kafka.korpu.internal');
    expect(mutual.manifests).toMatch(/KAFKA_SSL_CERT_FILE: \/etc\/korpu\/pki\/kafka\/client\.chain\.crt\n\s+KAFKA_SSL_KEY_FILE: \/etc\/korpu\/pki\/kafka\/client\.key/);
    expect(mutual.manifests).toContain('KAFKA_SSL_SERVERNAME: "kafka.korpu.internal"');
    expect(mutual.manifests.match(/- \{ key: "kafka__client\.key", path: "kafka\/client\.key" \}/g)).toHaveLength(3);
  }, 120000);

  it('is refused by the validator when a field is misspelt (the validation is real)', async () => {
    const { manifests } = await renderAndValidate();
    const file = path.join(work, 'misspelt.yaml');
    fs.writeFileSync(file, manifests.replace('readinessProbe:', 'readynessProbe:'));
    await expect(run(validate, ['manifests', file])).rejects.toMatchObject({ stderr: expect.stringContaining('unknown field') });
  }, 120000);
});

describe('the compose file', () => {
  it('loads and validates with compose-go: three Kafka nodes, PostgreSQL, every app from its Dockerfile as non-root, Prometheus and Alertmanager', async () => {
    const { stdout } = await run(validate, ['compose', composeFile], { maxBuffer: 4 << 20 });
    const project = JSON.parse(stdout) as { services: Array<{ name: string; dockerfile?: string; user?: string; ports?: string[]; healthcheck: boolean }> };
    const byName = new Map(project.services.map((service) => [service.name, service]));
    expect([...byName.keys()]).toEqual(
      expect.arrayContaining(['kafka-1', 'kafka-2', 'kafka-3', 'kafka-provision', 'postgres', ...APPS, 'prometheus', 'alertmanager']),
    );
    for (const app of APPS) expect(byName.get(app)).toMatchObject({ dockerfile: `apps/${app}/Dockerfile`, user: '1000:1000', healthcheck: true });
    // Only the partner endpoint listens on every address of the host.
    const public_ = project.services.filter((service) => (service.ports ?? []).some((port) => port.startsWith('0.0.0.0:')));
    expect(public_.map((service) => service.name)).toEqual(['partner-endpoint']);
  }, 60000);

  it('runs the brokers with SASL_SSL and every Kafka client with KAFKA_SSL and the brokers\' CA', () => {
    const text = fs.readFileSync(composeFile, 'utf8');
    expect(text).toMatch(/&kafka-env\n(?:\s+.*\n)*?\s+KAFKA_TLS: "1"/);
    expect(text.match(/\.\/secrets\/pki\/kafka:\/etc\/korpu\/pki:ro/g)?.length).toBeGreaterThanOrEqual(4); // the anchor and the three nodes
    expect(text).toMatch(/&app-env\n(?:\s+.*\n)*?\s+KAFKA_SSL: "true"\n\s+KAFKA_SSL_CA_FILE: \/etc\/korpu\/kafka-ca\/ca\.crt/);
    // kafka-provision and the three apps mount the CA bundle there.
    expect(text.match(/\.\/secrets\/kafka-ca\.crt:\/etc\/korpu\/kafka-ca\/ca\.crt:ro/g)).toHaveLength(4);
    const startNode = fs.readFileSync(path.join(repoRoot, 'deploy/compose/kafka/start-node.sh'), 'utf8');
    expect(startNode).toContain('client_tls_properties /var/lib/kafka/tls/broker.pem /etc/korpu/pki/ca/trust-bundle.crt');
  });
});

describe('the images', () => {
  it.each(APPS)('builds %s from a multi-stage Dockerfile on an exactly pinned base, running as non-root', (app) => {
    const dockerfile = fs.readFileSync(path.join(repoRoot, 'apps', app, 'Dockerfile'), 'utf8');
    const bases = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]);
    expect(bases.length).toBeGreaterThanOrEqual(2);
    for (const base of bases) expect(base).toMatch(/^node:\d+\.\d+\.\d+-[a-z]+-slim(@sha256:[0-9a-f]{64})?$/);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).not.toMatch(/certs-dev|\.local|\.key\b/);
    expect(fs.readFileSync(path.join(repoRoot, '.dockerignore'), 'utf8')).toMatch(/^certs-dev\/out$/m);
  });

  it('compiles an app the way its image does, and the compiled entry point boots far enough to check its configuration', async () => {
    const out = path.join(work, 'dist-gateway');
    await run(process.execPath, [path.join(repoRoot, 'deploy/docker/compile-app.js'), 'gateway', out]);
    fs.symlinkSync(path.join(repoRoot, 'node_modules'), path.join(out, 'node_modules'));
    const boot = run(process.execPath, [path.join(out, 'apps/gateway/src/main.js')], { env: { PATH: process.env.PATH ?? '', GATEWAY_PORT: 'not-a-port' }, timeout: 60000 });
    // The boot error names the variable, on stderr or, with the JSON logs, on stdout.
    const failure = (await boot.then(
      () => undefined,
      (error: unknown) => error,
    )) as { stdout?: string; stderr?: string } | undefined;
    expect(failure).toBeDefined();
    expect(`${failure?.stdout ?? ''}${failure?.stderr ?? ''}`).toContain('GATEWAY_PORT');
  }, 120000);
});
