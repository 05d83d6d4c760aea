/**
 * The Pod Security Standards' "baseline" and "restricted" levels, as rules over a pod spec: what each pod in
 * deploy/ is said to meet is checked here, since there is no admission controller in the tests. Each rule
 * names the control it stands for (kubernetes.io/docs/concepts/security/pod-security-standards).
 */
type Obj = Record<string, any>;

const BASELINE_CAPS = new Set(['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT']);
const RESTRICTED_VOLUMES = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'];

const allContainers = (spec: Obj): Obj[] => [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? [])];

/** What in this pod spec breaks the baseline level. */
export function baselineViolations(spec: Obj): string[] {
  const out: string[] = [];
  for (const k of ['hostNetwork', 'hostPID', 'hostIPC']) if (spec[k]) out.push(`Host Namespaces: ${k}`);
  if (spec.securityContext?.windowsOptions?.hostProcess) out.push('HostProcess');
  for (const v of spec.volumes ?? []) if (v.hostPath) out.push(`HostPath Volumes: ${v.name}`);
  if (spec.securityContext?.seccompProfile?.type === 'Unconfined') out.push('Seccomp: pod Unconfined');
  if (spec.securityContext?.appArmorProfile?.type === 'Unconfined') out.push('AppArmor: pod Unconfined');
  for (const s of spec.securityContext?.sysctls ?? []) out.push(`Sysctls: ${s.name}`);
  for (const c of allContainers(spec)) {
    const sc = c.securityContext ?? {};
    if (sc.privileged) out.push(`Privileged Containers: ${c.name}`);
    for (const cap of sc.capabilities?.add ?? []) if (!BASELINE_CAPS.has(cap)) out.push(`Capabilities: ${c.name} adds ${cap}`);
    for (const p of c.ports ?? []) if (p.hostPort) out.push(`Host Ports: ${c.name}`);
    if (sc.seccompProfile?.type === 'Unconfined') out.push(`Seccomp: ${c.name} Unconfined`);
    if (sc.appArmorProfile?.type === 'Unconfined') out.push(`AppArmor: ${c.name} Unconfined`);
    if (sc.procMount && sc.procMount !== 'Default') out.push(`/proc Mount Type: ${c.name}`);
    if (sc.seLinuxOptions?.type && !['container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t'].includes(sc.seLinuxOptions.type)) out.push(`SELinux: ${c.name}`);
  }
  return out;
}

/** What in this pod spec breaks the restricted level (baseline's rules included). */
export function restrictedViolations(spec: Obj): string[] {
  const out = baselineViolations(spec);
  for (const v of spec.volumes ?? []) if (!RESTRICTED_VOLUMES.some((t) => t in v)) out.push(`Volume Types: ${v.name}`);
  const pod = spec.securityContext ?? {};
  const okSeccomp = (t: unknown): boolean => t === 'RuntimeDefault' || t === 'Localhost';
  for (const c of allContainers(spec)) {
    const sc = c.securityContext ?? {};
    if (sc.allowPrivilegeEscalation !== false) out.push(`Privilege Escalation: ${c.name}`);
    if (!(sc.runAsNonRoot ?? pod.runAsNonRoot)) out.push(`Running as Non-root: ${c.name}`);
    if ((sc.runAsUser ?? pod.runAsUser) === 0) out.push(`Running as Non-root user: ${c.name}`);
    if (!okSeccomp(sc.seccompProfile?.type ?? pod.seccompProfile?.type)) out.push(`Seccomp: ${c.name} neither RuntimeDefault nor Localhost`);
    if (!(sc.capabilities?.drop ?? []).includes('ALL')) out.push(`Capabilities: ${c.name} does not drop ALL`);
    for (const cap of sc.capabilities?.add ?? []) if (cap !== 'NET_BIND_SERVICE') out.push(`Capabilities: ${c.name} adds ${cap}`);
  }
  return out;
}
