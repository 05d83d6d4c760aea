import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { PREFIX, QUEUE_NAME } from '../sandbox-server/src/execution/remote/keys.js';
import { restrictedViolations } from './pod-security.js';
import { KNOWN_KINDS, strictProblems } from './strict-schema.js';

/**
 * What must hold of the Kubernetes manifests, checked on every test run
 * (there is no cluster here to apply them to): they parse, every container is
 * bounded and probed, no runner is privileged, /dev/kvm comes from a device
 * plugin, secrets come from Secrets, the commands are our npm scripts, and
 * the autoscaler watches the queue the code really uses; every object is
 * valid against the Kubernetes and KEDA schemas with no field they do not
 * know; every pod meets Pod Security "restricted".
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
    // It comes up slowly (VM templates boot first): a startup probe holds the liveness probe off until then.
    expect(runner.startupProbe.exec.command.join(' ')).toContain(`${env(runner, 'JAILLAB_DATA_DIR')!.value}/runner-alive`);
    expect(runner.livenessProbe.initialDelaySeconds).toBeUndefined();
  });

  it('is valid against the Kubernetes and KEDA schemas, with no field they do not know', () => {
    for (const d of docs.filter((x) => x.kind !== 'Kustomization')) {
      const { __file, ...obj } = d;
      expect(strictProblems(obj), `${__file}: ${d.kind} ${d.metadata?.name}`).toEqual([]);
    }
    expect(KNOWN_KINDS.length).toBeGreaterThan(0);
    // The check can fail: a misspelled field, a wrong type.
    const runner = structuredClone(find('Deployment', 'jaillab-runner')) as Obj;
    delete runner.__file;
    runner.spec.template.spec.containers[0].securityContext.readOnlyRootFilesytem = true;
    runner.spec.template.spec.terminationGracePeriodSeconds = 'two minutes';
    expect(strictProblems(runner).join('\n')).toMatch(/readOnlyRootFilesytem: not a field/);
    expect(strictProblems(runner).join('\n')).toMatch(/terminationGracePeriodSeconds/);
    const k = docs.find((x) => x.kind === 'Kustomization')!;
    expect(Object.keys(k).filter((x) => x !== '__file').sort()).toEqual(['apiVersion', 'images', 'kind', 'namespace', 'resources']);
  });

  it('meets Pod Security "restricted" in every pod, and the namespace enforces it', () => {
    for (const d of deployments) expect(restrictedViolations(d.spec.template.spec), d.metadata.name).toEqual([]);
    expect(find('Namespace', 'jaillab').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    // The checker can fail: the runner as it was (seccomp Unconfined, no readOnly needed) breaks baseline.
    expect(restrictedViolations({ securityContext: { seccompProfile: { type: 'Unconfined' } }, containers: [{ name: 'c', securityContext: { capabilities: { add: ['SYS_ADMIN'] } } }] })).toEqual(
      expect.arrayContaining(['Seccomp: pod Unconfined', 'Capabilities: c adds SYS_ADMIN', 'Privilege Escalation: c']),
    );
  });

  it('gives bubblewrap what it needs through a Localhost seccomp profile, and no more', () => {
    const profile = JSON.parse(readFileSync(join(dir, 'node', 'seccomp-runner.json'), 'utf8')) as { defaultAction: string; syscalls: Array<{ names: string[]; action: string; args?: unknown }> };
    expect(profile.defaultAction).toBe('SCMP_ACT_ERRNO');
    const allowed = new Set(profile.syscalls.filter((r) => r.action === 'SCMP_ACT_ALLOW').flatMap((r) => r.names));
    for (const needed of ['unshare', 'clone', 'clone3', 'mount', 'umount2', 'pivot_root', 'ioctl', 'execve', 'socket', 'connect']) expect(allowed.has(needed), needed).toBe(true);
    for (const refused of ['setns', 'bpf', 'ptrace', 'keyctl', 'add_key', 'kexec_load', 'init_module', 'finit_module', 'open_by_handle_at', 'perf_event_open', 'userfaultfd', 'reboot', 'fsopen', 'move_mount']) expect(allowed.has(refused), refused).toBe(false);
    for (const name of ['jaillab-runner', 'jaillab-server']) {
      const spec = find('Deployment', name).spec.template.spec;
      expect(spec.securityContext.seccompProfile).toEqual({ type: 'Localhost', localhostProfile: 'jaillab/runner.json' });
    }
    // The runner can open /dev/kvm where it is 0660 root:kvm: the node's kvm group is a supplemental group.
    expect(find('Deployment', 'jaillab-runner').spec.template.spec.securityContext.supplementalGroups).toHaveLength(1);
  });

  it('runs on a read-only root filesystem, with every scratch volume bounded', () => {
    for (const d of deployments) {
      const spec = d.spec.template.spec;
      for (const c of [...(spec.initContainers ?? []), ...spec.containers]) expect(c.securityContext.readOnlyRootFilesystem, `${d.metadata.name}/${c.name}`).toBe(true);
      for (const v of spec.volumes ?? []) if (v.emptyDir) expect(v.emptyDir.sizeLimit, `${d.metadata.name} volume ${v.name}`).toMatch(/^\d+[MG]i$/);
    }
    // The runner's cache (guest image, templates) and the image's baked guest image meet in the init container.
    const runner = find('Deployment', 'jaillab-runner').spec.template.spec;
    expect(runner.initContainers[0].command.join(' ')).toContain('$JAILLAB_BAKED_GUEST');
    expect(env(runner.containers[0], 'JAILLAB_CACHE_DIR')!.value).toBe('/cache');
  });

  it('pins every image: ours through kustomize, Redis by its full version', () => {
    const k = docs.find((d) => d.kind === 'Kustomization')!;
    const ours = k.images.find((i: Obj) => i.name === 'jaillab');
    expect(ours.newName).toMatch(/^[a-z0-9.-]+\.[a-z]+(:\d+)?\//); // a registry host, not a bare name
    expect(ours.newTag ?? ours.digest).toBeDefined();
    expect(ours.newTag).not.toBe('latest');
    for (const d of deployments.filter((x) => x.metadata.name !== 'jaillab-redis'))
      for (const c of [...(d.spec.template.spec.initContainers ?? []), ...containers(d)]) expect(c.image, `${d.metadata.name}/${c.name}`).toBe('jaillab');
    const redis = find('Deployment', 'jaillab-redis');
    expect(containers(redis)[0]!.image).toMatch(/^redis:\d+\.\d+\.\d+/);
    expect(redis.spec.strategy.type).toBe('Recreate');
    expect(containers(redis)[0]!.resources.requests).toEqual(containers(redis)[0]!.resources.limits);
  });

  it('builds a runtime image without the test tools, from a context without the host state', () => {
    const dockerfile = readFileSync(join(dir, 'Dockerfile'), 'utf8');
    const stages = dockerfile.split(/^FROM /m).slice(1);
    expect(stages).toHaveLength(2);
    expect(stages[1]).not.toMatch(/chromium|redis-server|prepare\.sh/);
    expect(stages[1]).toMatch(/qemu-system-x86/);
    expect(stages[1]).toMatch(/bubblewrap/);
    const ignored = readFileSync(join(dir, 'Dockerfile.dockerignore'), 'utf8').split('\n').map((l) => l.trim());
    for (const p of ['.data', 'node_modules', '.git']) expect(ignored, p).toContain(p);
  });

  it('denies all traffic but what each pod needs; runners reach Redis and DNS only', () => {
    const policies = docs.filter((d) => d.kind === 'NetworkPolicy');
    const deny = policies.find((p) => Object.keys(p.spec.podSelector).length === 0)!;
    expect(deny.spec.policyTypes.sort()).toEqual(['Egress', 'Ingress']);
    expect(deny.spec.ingress ?? []).toEqual([]);
    expect(deny.spec.egress ?? []).toEqual([]);
    const runner = policies.find((p) => p.spec.podSelector.matchLabels?.['app.kubernetes.io/name'] === 'jaillab-runner')!;
    expect(runner.spec.ingress).toEqual([]);
    const to = runner.spec.egress.flatMap((e: Obj) => e.to);
    // Only pod selectors (Redis, kube-dns): no ipBlock, so no metadata endpoint and no internet.
    expect(to.some((t: Obj) => t.ipBlock)).toBe(false);
    expect(to.map((t: Obj) => t.podSelector.matchLabels).sort((a: Obj, b: Obj) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual([{ 'app.kubernetes.io/name': 'jaillab-redis' }, { 'k8s-app': 'kube-dns' }]);
    for (const d of deployments) expect(policies.some((p) => p !== deny && p.spec.podSelector.matchLabels?.['app.kubernetes.io/name'] === d.metadata.name), `${d.metadata.name} has its own policy`).toBe(true);
  });

  it('drains runners one at a time, inside their grace period', () => {
    const pdb = find('PodDisruptionBudget', 'jaillab-runner');
    expect(pdb.spec.selector.matchLabels).toEqual(find('Deployment', 'jaillab-runner').spec.selector.matchLabels);
    expect(pdb.spec.maxUnavailable).toBe(1);
    const runner = find('Deployment', 'jaillab-runner');
    // Its own deadline comes before the SIGKILL, with time left to hand back and stop its VMs.
    expect(Number(env(containers(runner)[0]!, 'JAILLAB_RUNNER_GRACE_S')!.value)).toBeLessThan(runner.spec.template.spec.terminationGracePeriodSeconds - 10);
    // KEDA's HPA owns the count: a replicas field would reset it on every apply.
    expect(runner.spec.replicas).toBeUndefined();
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

  it("scales the runners on the runs waiting plus those under way, on the queue the code uses, one runner's slots per step", () => {
    const scaler = find('ScaledObject', 'jaillab-runner');
    expect(scaler.spec.scaleTargetRef.name).toBe('jaillab-runner');
    const lists = Object.fromEntries(scaler.spec.triggers.map((t: Obj) => [t.name, t.metadata.listName]));
    expect(lists).toEqual({ waiting: `${PREFIX}:${QUEUE_NAME}:wait`, active: `${PREFIX}:${QUEUE_NAME}:active` });
    for (const t of scaler.spec.triggers) expect(t.type).toBe('redis');
    expect(scaler.spec.advanced.scalingModifiers.formula.replace(/\s/g, '')).toBe('waiting+active');
    const runner = containers(find('Deployment', 'jaillab-runner'))[0]!;
    expect(scaler.spec.advanced.scalingModifiers.target).toBe(env(runner, 'JAILLAB_MAX_RUNS')!.value);
    for (const t of scaler.spec.triggers) expect(find('TriggerAuthentication', t.authenticationRef.name).spec.secretTargetRef[0]).toMatchObject({ parameter: 'password', name: 'jaillab-redis' });
  });
});
