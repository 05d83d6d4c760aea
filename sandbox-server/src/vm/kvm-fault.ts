import type { VmExit } from './vm-backend.js';

/** What QEMU prints when KVM itself failed under a guest (not the guest's own doing). */
const KVM_FAULT = /KVM internal error|kvm run failed|KVM_RUN|emulation failure|kvm: .*error/i;

/** True if this VM died of a KVM fault: the host's problem, which TCG does not have. */
export function isKvmFault(exit: Pick<VmExit, 'stderrTail' | 'consoleTail'>): boolean {
  return KVM_FAULT.test(exit.stderrTail) || KVM_FAULT.test(exit.consoleTail);
}
