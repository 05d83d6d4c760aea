/* proc-root accomplice: an ordinary process of the service's user (uid 1000), outside the jail. */
#include "probe.h"

int main(void) {
  accomplice_become_service_user();
  accomplice_ready();
  accomplice_wait();
}
