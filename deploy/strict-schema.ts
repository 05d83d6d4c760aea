/**
 * Kubernetes' and KEDA's schemas (kubernetes-models, @kubernetes-models/keda) check types, enums and required
 * fields, but accept any unknown field, as the API server's own non-strict decoding does: a misspelled
 * `readOnlyRootFilesytem` would pass and silently do nothing. Strict here means also: every field of the object
 * is one the schema knows. The validators are compiled code that reads each property it knows by name and
 * enumerates the keys of maps (labels, resources, matchLabels), so the object is watched while it is validated:
 * a key nobody read, in an object whose keys nobody enumerated, is a field the schema does not have.
 */
import { ScaledObject, TriggerAuthentication } from '@kubernetes-models/keda/keda.sh/v1alpha1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { Namespace, PersistentVolumeClaim, Service } from 'kubernetes-models/v1';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';

/** Each model's validate() runs its schema on `this`: called on the watched object itself, not on a copy. */
const MODELS: Record<string, { prototype: { validate(): void } }> = {
  'v1/Namespace': Namespace,
  'v1/Service': Service,
  'v1/PersistentVolumeClaim': PersistentVolumeClaim,
  'apps/v1/Deployment': Deployment,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'keda.sh/v1alpha1/ScaledObject': ScaledObject,
  'keda.sh/v1alpha1/TriggerAuthentication': TriggerAuthentication,
};

export const KNOWN_KINDS = Object.keys(MODELS);

/** Every problem with one manifest object: schema errors, and fields the schema does not know (as JSON paths). */
export function strictProblems(obj: Record<string, unknown>): string[] {
  const key = `${obj.apiVersion}/${obj.kind}`;
  const model = MODELS[key];
  if (!model) return [`no schema for ${key} here (add it to deploy/strict-schema.ts)`];
  const read = new Map<object, Set<PropertyKey>>();
  const enumerated = new Set<object>();
  const watched = new Map<object, string>();
  const watch = (value: unknown, path: string): unknown => {
    if (value === null || typeof value !== 'object') return value;
    watched.set(value, path);
    read.set(value, new Set());
    return new Proxy(value, {
      get(target, prop, receiver) {
        read.get(target)!.add(prop);
        const v = Reflect.get(target, prop, receiver) as unknown;
        return typeof prop === 'string' ? watch(v, `${path}/${prop}`) : v;
      },
      ownKeys(target) {
        enumerated.add(target);
        return Reflect.ownKeys(target);
      },
    });
  };
  const problems: string[] = [];
  try {
    model.prototype.validate.call(watch(obj, ''));
  } catch (e) {
    problems.push((e as Error).message);
  }
  for (const [o, path] of watched) {
    if (Array.isArray(o) || enumerated.has(o)) continue;
    for (const k of Object.keys(o)) if (!read.get(o)!.has(k)) problems.push(`${path}/${k}: not a field of ${key}`);
  }
  return problems;
}
