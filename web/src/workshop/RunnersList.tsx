import type { RunnerInfo } from '@jaillab/protocol';

/**
 * Which machines execute the room's runs. With the server's own VMs (one
 * runner, `local`) the capacity line says it all; with remote runners the
 * instructor sees each one, its accelerator and how busy it is — and, plainly,
 * when none is up, because then every Run waits.
 */
export function RunnersList({ runners }: { runners: RunnerInfo[] }) {
  if (runners.length === 1 && runners[0]!.id === 'local') return null;
  if (runners.length === 0)
    return (
      <p className="runners runners-none" data-testid="runners" role="status">
        No runner is up: runs wait in the queue until one starts.
      </p>
    );
  return (
    <ul className="runners" data-testid="runners" aria-label="Runners">
      {runners.map((r) => (
        <li key={r.id} data-testid="runner" title={r.id}>
          {r.host} <span className="runner-accel">({r.accelerator ?? '…'})</span>: {r.busy} of {r.slots} busy
        </li>
      ))}
    </ul>
  );
}
