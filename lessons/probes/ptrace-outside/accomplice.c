/* ptrace-outside accomplice: a process of the service's user outside the jail that, like crash reporters and
 * debuggers' helpers, lets any process trace it (Yama's PR_SET_PTRACER_ANY). */
#include "probe.h"

int main(void) {
  accomplice_become_service_user();
  prctl(PR_SET_PTRACER, PR_SET_PTRACER_ANY, 0, 0, 0);
  accomplice_ready();
  accomplice_wait();
}
