interface Props {
  connected: boolean;
  /** A phone cannot drive a shell (no keyboard to speak of): say so instead of offering one. */
  phone: boolean;
  onOpen(): void;
}

/**
 * What the shell tab shows before the first shell: what a shell is here, and
 * a clear way to start one (otherwise the tab is an empty pane).
 */
export function ShellIntro({ connected, phone, onOpen }: Props) {
  return (
    <div className="shell-intro" data-testid="shell-intro">
      <h3 className="shell-intro-title">A shell in a VM of your own</h3>
      <p>
        A busybox shell outside the jail, with a check’s world in place: your program as <code>jailer</code>, the lesson’s jail at <code>/jail</code>, the secret at <code>/outside/secret</code>. Run your jail by hand with{' '}
        <code>jailer /jail /bin/sh</code> and look around inside it.
      </p>
      {phone ? (
        <p className="shell-intro-note">A shell wants a keyboard: open JailLab on a laptop to start one.</p>
      ) : (
        <p className="shell-intro-actions">
          <button type="button" className="button button-primary" data-testid="open-shell" onClick={onOpen} disabled={!connected}>
            Start a shell
          </button>
          <span className="shell-intro-note">{connected ? 'It starts with the code in the editor now, and closes when it is idle or you leave the lesson.' : 'Waiting for the server…'}</span>
        </p>
      )}
    </div>
  );
}
