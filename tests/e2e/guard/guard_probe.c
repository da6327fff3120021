/* What no_side_effects_test.cc runs under the guard to show that it
 * works: each command does one thing, prints "done" and exits 0, unless
 * the guard stops it.
 *   guard_probe system        runs "true" through system()
 *   guard_probe socket        opens a TCP socket
 *   guard_probe thread        starts and joins a thread (must work)
 *   guard_probe write FILE    creates FILE ("failed: REASON" when it cannot)
 *   guard_probe read FILE     reads FILE (must work) */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void* nothing(void* arg) { return arg; }

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  const char* what = argv[1];
  if (strcmp(what, "system") == 0) {
    if (system("true") != 0) return 1;
  } else if (strcmp(what, "socket") == 0) {
    if (socket(AF_INET, SOCK_STREAM, 0) < 0) return 1;
  } else if (strcmp(what, "thread") == 0) {
    pthread_t thread;
    if (pthread_create(&thread, NULL, nothing, NULL) != 0 || pthread_join(thread, NULL) != 0) return 1;
  } else if (strcmp(what, "write") == 0 && argc == 3) {
    int fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) {
      printf("failed: %s\n", strerror(errno));
      return 1;
    }
    close(fd);
  } else if (strcmp(what, "read") == 0 && argc == 3) {
    int fd = open(argv[2], O_RDONLY);
    if (fd < 0) return 1;
    close(fd);
  } else {
    return 2;
  }
  puts("done");
  return 0;
}
