import { ChannelClosedError, ChannelTimeoutError } from '../../vm/agent-channel.js';
import type { GuestVm, VmExit } from '../../vm/vm-backend.js';

/**
 * A VM that stops answering or dies under a run: find out what happened, in
 * words a learner can act on, and make sure it is gone.
 */
export interface VmFault {
  message: string;
  exit: VmExit;
}

export async function diagnoseVmFault(vm: GuestVm, error: Error): Promise<VmFault> {
  const unresponsive = error instanceof ChannelTimeoutError;
  // A dying QEMU closes the channel a moment before it exits: give it that moment.
  const exitedOnItsOwn = await Promise.race([vm.exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 1500))]);
  const exit = await vm.destroy();
  const console = exit.consoleTail;
  let message: string;
  if (/Attempted to kill init/.test(console)) message = 'the guest agent (PID 1) died, so the guest kernel stopped';
  else if (/Kernel panic/.test(console)) message = 'the guest kernel panicked';
  else if (/reboot: Power down/.test(console)) message = 'something in the VM powered it off';
  else if (/reboot: Restarting system/.test(console)) message = 'something in the VM rebooted it';
  else if (unresponsive) message = 'the VM stopped answering (it was stopped after the time limit)';
  else if (exitedOnItsOwn && exit.signal) message = `the VM's QEMU process was killed on the host (${exit.signal})`;
  else if (exitedOnItsOwn) message = `the VM's QEMU process exited unexpectedly (status ${exit.code})`;
  else if (error instanceof ChannelClosedError) message = 'the connection to the VM broke';
  else message = `the VM misbehaved: ${error.message}`;
  return { message, exit };
}
