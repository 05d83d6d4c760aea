import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { PREFIX, QUEUE_NAME } from '../sandbox-server/src/execution/remote/keys.js';

/**
 * What must hold of the Kubernetes manifests, checked on every test run
 * (there is no cluster here to apply them to): they parse, every container is
 * bounded and probed, no runner is privileged, /dev/kvm comes from a device
 * plugin, secrets come from Secrets, the commands are our npm scripts, and
 * the autoscaler watches the queue the code really uses.
 */
const dir = fileURLToPath(new URL('.', import.meta.url));
type Obj = Record<string, any>;

const docs: Obj[] = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .flatMap((f) =>
    parseAllDocuments(readFileSync(join(dir, f), 'utf8')).map((d) => {
      if (d.errors.length) throw new Error(`${f}: ${d.errors[0]!.message}`);
      return { ...(d.toJS() as Obj), __file: f };
    }),
  );
const find = (kind: string, name: string): Obj => {
  const d = docs.find((x) => x.kind === kind && x.metadata?.name === name);
  if (!d) throw new Error(`no ${kind} ${name} in deploy/`);
  return d;
};
const deployments = docs.filter((d) => d.kind === 'Deployment');
const containers = (d: Obj): Obj[] => d.spec.template.spec.containers;
const env = (c: Obj, name: string): Obj | undefined => (c.env as Obj[]).find((e) => e.name === name);
const scripts = (pkg: string): Record<string, string> => JSON.parse(readFileSync(join(dir, '..', pkg, 'package.json'), 'utf8')).scripts;

describe('deploy/ (Kubernetes)', () => {
  it('lists every manifest in the kustomization, and parses', () => {
    const k = docs.find((d) => d.kind === 'Kustomization')!;
    const files = readdirSync(dir).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml');
    expect([...k.resources].sort()).toEqual(files.sort());
    expect(deployments.map((d) => d.metadata.name).sort()).toEqual(['jaillab-redis', 'jaillab-runner', 'jaillab-server']);
  });

  it('bounds every container (requests and limits for CPU and memory) and probes it', () => {
    for (const d of deployments)
      for (const c of containers(d)) {
        for (const k of ['requests', 'limits']) expect(c.resources?.[k], `${d.metadata.name}/${c.name} ${k}`).toMatchObject({ cpu: expect.anything(), memory: expect.anything() });
        expect(c.livenessProbe, `${d.metadata.name} liveness`).toBeDefined();
      }
    const server = containers(find('Deployment', 'jaillab-server'))[0]!;
    expect(server.readinessProbe.httpGet.path).toBe('/api/health');
    expect(server.livenessProbe.httpGet.path).toBe('/api/health');
    // The runner has no port: its liveness is the file it touches after each heartbeat Redis took.
    const runner = containers(find('Deployment', 'jaillab-runner'))[0]!;
    expect(runner.ports).toBeUndefined();
    expect(runner.livenessProbe.exec.command.join(' ')).toContain(`${env(runner, 'JAILLAB_DATA_DIR')!.value}/runner-alive`);
  });

  it('never runs a runner privileged: /dev/kvm comes from the device plugin, not the host', () => {
    const runner = find('Deployment', 'jaillab-runner');
    const spec = runner.spec.template.spec;
    for (const c of containers(runner)) {
      expect(c.securityContext.privileged).toBe(false);
      expect(c.securityContext.allowPrivilegeEscalation).toBe(false);
      expect(c.securityContext.capabilities.drop).toContain('ALL');
      expect(c.securityContext.capabilities.add).toBeUndefined();
      expect(c.resources.limits['devices.kubevirt.io/kvm']).toBe('1');
    }
    expect(spec.securityContext.runAsNonRoot).toBe(true);
    expect(spec.hostPID ?? false).toBe(false);
    expect(spec.hostNetwork ?? false).toBe(false);
    for (const d of docs.filter((x) => x.kind === 'Deployment')) for (const v of d.spec.template.spec.volumes ?? []) expect(v.hostPath, `${d.metadata.name} volume ${v.name}`).toBeUndefined();
    for (const d of deployments) for (const c of containers(d)) expect(c.securityContext?.privileged ?? false, d.metadata.name).toBe(false);
  });

  it("starts the server and the runner with the repository's own npm scripts", () => {
    const server = containers(find('Deployment', 'jaillab-server'))[0]!;
    const runner = containers(find('Deployment', 'jaillab-runner'))[0]!;
    const ours = scripts('sandbox-server');
    for (const [c, script] of [[server, 'serve'], [runner, 'runner']] as const) {
      expect(c.command).toEqual(['npm', 'run', '-s', '-w', 'sandbox-server', script]);
      expect(ours[script]).toBeDefined();
    }
    expect(ours.runner).toContain('execution/remote/runner-main.ts');
    expect(env(server, 'JAILLAB_EXECUTOR')!.value).toBe('remote');
    const dockerfile = readFileSync(join(dir, 'Dockerfile'), 'utf8');
    expect(dockerfile).toContain('scripts/prepare.sh');
    expect(dockerfile).toMatch(/CMD \["npm", "run", "-s", "-w", "sandbox-server", "serve"\]/);
  });

  it('takes every password from a Secret, and Redis requires one', () => {
    for (const d of deployments.filter((x) => x.metadata.name !== 'jaillab-redis')) {
      const c = containers(d)[0]!;
      expect(env(c, 'JAILLAB_REDIS_PASSWORD')!.valueFrom.secretKeyRef).toEqual({ name: 'jaillab-redis', key: 'password' });
      expect(env(c, 'JAILLAB_REDIS_URL')!.value).not.toMatch(/@/);
    }
    const redis = containers(find('Deployment', 'jaillab-redis'))[0]!;
    expect(redis.command.join(' ')).toContain('--requirepass "$REDIS_PASSWORD"');
    expect(env(redis, 'REDIS_PASSWORD')!.valueFrom.secretKeyRef.name).toBe('jaillab-redis');
    expect(docs.some((d) => d.kind === 'Secret')).toBe(false);
  });

  it("scales the runners on the queue the code uses, one runner's slots per step", () => {
    const scaler = find('ScaledObject', 'jaillab-runner');
    expect(scaler.spec.scaleTargetRef.name).toBe('jaillab-runner');
    const trigger = scaler.spec.triggers[0];
    expect(trigger.type).toBe('redis');
    expect(trigger.metadata.listName).toBe(`${PREFIX}:${QUEUE_NAME}:wait`);
    const runner = containers(find('Deployment', 'jaillab-runner'))[0]!;
    expect(trigger.metadata.listLength).toBe(env(runner, 'JAILLAB_MAX_RUNS')!.value);
    expect(find('TriggerAuthentication', trigger.authenticationRef.name).spec.secretTargetRef[0]).toMatchObject({ parameter: 'password', name: 'jaillab-redis' });
  });
});
