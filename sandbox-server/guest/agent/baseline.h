/*
 * The guest as it was before any learner program ran. The learner's program
 * is root, and one VM serves several checks of a run in a row: whatever it
 * mounted, and whatever files it left anywhere (a disk or /tmp filled to the
 * last block, say), must not break the next check. Before each check the agent
 * puts the mounts and the file trees back to this baseline.
 */
#ifndef JAILLAB_BASELINE_H
#define JAILLAB_BASELINE_H

/* Records the mounts and the files on /, /tmp and /dev, after the system is set up (again once a template is sealed). */
void baseline_record(void);
/* Unmounts what was mounted since, and removes files and directories that were not there
 * (except the host's staging area). Returns 0, or -1 with *err set when something could not be undone. */
int baseline_restore(char **err);

/* The first kernel setting of the baseline's list (baseline.c) that differs now, as sys/<path>; NULL if none. */
const char *baseline_setting_changed(void);

#endif
