/* Pseudo-terminals for the jail program's checks and the interactive shell. */
#ifndef JAILLAB_PTY_H
#define JAILLAB_PTY_H

/*
 * Opens a pty of the given size: returns the master (non-blocking, close-on-exec)
 * and stores the slave fd (close-on-exec) in *slave_out. Failure is fatal.
 */
int open_pty(unsigned short cols, unsigned short rows, int *slave_out);

/*
 * In a freshly forked child: default signal mask and SIGPIPE (the agent blocks
 * and ignores them), a session of its own, and the pty as controlling terminal.
 * 0, or -1 with errno (the child then does not run: child.c).
 */
int enter_pty_session(int slave);

#endif
