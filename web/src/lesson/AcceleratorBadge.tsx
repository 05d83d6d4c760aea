import type { Accelerator } from '@jaillab/protocol';

const TEXT: Record<Accelerator, { label: string; title: string }> = {
  kvm: { label: 'KVM', title: 'Runs use hardware virtualisation (KVM): fast.' },
  tcg: { label: 'TCG', title: 'Runs use QEMU software emulation (TCG): this server has no KVM, so runs are slower.' },
};

/** Which accelerator the VMs use: from the run (vm-ready / finished) or, before a run, the server's welcome. */
export function AcceleratorBadge({ accelerator }: { accelerator: Accelerator | null }) {
  const text = accelerator ? TEXT[accelerator] : { label: 'unknown', title: 'Not known yet: connect and run once.' };
  return (
    <span className={`accelerator accelerator-${accelerator ?? 'unknown'}`} data-testid="accelerator" data-accelerator={accelerator ?? 'unknown'} title={text.title}>
      <span className="accelerator-key">VM</span> {text.label}
      {accelerator === 'tcg' && <span className="accelerator-note"> · software emulation</span>}
    </span>
  );
}
