#!/usr/bin/python3
"""Runs a command under a seccomp profile in the container runtimes' JSON format, as a pod with it would:
   /usr/bin/python3 deploy/node/run-under-profile.py deploy/node/seccomp-runner.json -- COMMAND...
For trying deploy/node/seccomp-runner.json on a node (or a laptop) before a pod needs it: what the profile
refuses fails with EPERM, as in the pod. Needs Debian's python3-seccomp. Only plain allow rules (no args)."""
import json
import os
import sys

import seccomp

if len(sys.argv) < 4 or sys.argv[2] != "--":
    sys.exit(__doc__)
profile = json.load(open(sys.argv[1]))
assert profile["defaultAction"] == "SCMP_ACT_ERRNO"
f = seccomp.SyscallFilter(defaction=seccomp.ERRNO(profile.get("defaultErrnoRet", 1)))
for rule in profile["syscalls"]:
    assert rule["action"] == "SCMP_ACT_ALLOW" and "args" not in rule, rule
    for name in rule["names"]:
        try:
            f.add_rule(seccomp.ALLOW, name)
        except (RuntimeError, ValueError):
            print(f"run-under-profile: {name} is not a syscall here; skipped", file=sys.stderr)
f.load()  # sets no_new_privs too, as a pod with allowPrivilegeEscalation: false has
os.execvp(sys.argv[3], sys.argv[3:])
