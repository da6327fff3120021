/* Preloaded into a program under test (LD_PRELOAD): before main, installs a
 * seccomp filter that kills the process (SIGSYS) the moment it starts
 * another program or opens a socket:
 *   execve, execveat, fork, vfork, clone without CLONE_VM or with CLONE_VFORK,
 *   socket, socketpair, connect.
 * Threads still work: clone with CLONE_VM is allowed, and clone3 (whose
 * flags a filter cannot read) fails with ENOSYS, so that glibc's
 * pthread_create falls back to clone.
 *
 * E2E_GUARD_WRITES, read once here, adds the file system:
 *   "kill"   any open for writing (O_WRONLY, O_RDWR, O_CREAT, O_TRUNC) and
 *            every call that creates, removes, renames or changes a file
 *            kills the process: the program writes nowhere at all;
 *   "erofs"  the same calls fail with EROFS: a read-only file system, which
 *            stops root as well as anyone (a mode 0555 directory does not).
 * Writing to descriptors the program was given (stdout, stderr) is allowed.
 *
 * No dependencies but the kernel headers: it is C, and runs before the
 * program's own constructors. */
#define _GNU_SOURCE /* CLONE_VM, CLONE_VFORK */
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#if !defined(__x86_64__)
#error "the guard's filter is written for x86-64 system call numbers"
#endif

enum { kMaxInstructions = 128 };

struct Filter {
  struct sock_filter code[kMaxInstructions];
  unsigned short size;
};

static void add(struct Filter* f, struct sock_filter instruction) {
  if (f->size == kMaxInstructions) {
    fputs("no_side_effects_guard: filter too long\n", stderr);
    _exit(125);
  }
  f->code[f->size++] = instruction;
}

static void load_nr(struct Filter* f) {
  add(f, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)));
}

/* System call `nr` gets `action`; any other goes on to the next test. */
static void on_call(struct Filter* f, int nr, unsigned action) {
  add(f, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)nr, 0, 1));
  add(f, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, action));
}

/* System call `nr` gets `action` when any bit of `bits` is set in its
 * argument `arg` (low 32 bits), else is allowed.  Reloads nr after. */
static void on_flags(struct Filter* f, int nr, int arg, unsigned bits, unsigned action) {
  add(f, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)nr, 0, 4));
  add(f, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[arg])));
  add(f, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, bits, 0, 1));
  add(f, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, action));
  add(f, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
}

static void guard_writes(struct Filter* f, unsigned action) {
  static const int kChanging[] = {
      SYS_creat,  SYS_mkdir,   SYS_mkdirat,  SYS_rmdir,     SYS_rename,    SYS_renameat, SYS_renameat2,
      SYS_link,   SYS_linkat,  SYS_symlink,  SYS_symlinkat, SYS_unlink,    SYS_unlinkat, SYS_truncate,
      SYS_mknod,  SYS_mknodat, SYS_chmod,    SYS_fchmodat,  SYS_chown,     SYS_lchown,   SYS_fchownat,
      SYS_utime,  SYS_utimes,  SYS_utimensat, SYS_futimesat, SYS_setxattr, SYS_lsetxattr, SYS_removexattr,
      SYS_lremovexattr,
  };
  for (size_t i = 0; i < sizeof kChanging / sizeof kChanging[0]; ++i) on_call(f, kChanging[i], action);
  /* openat2 takes its flags in a structure a filter cannot read; glibc
   * does not call it for open(). */
  on_call(f, SYS_openat2, SECCOMP_RET_ERRNO | ENOSYS);
  const unsigned writing = O_WRONLY | O_RDWR | O_CREAT | O_TRUNC;
  on_flags(f, SYS_open, 1, writing, action);   /* the last tests: they end the filter */
  on_flags(f, SYS_openat, 2, writing, action);
}

__attribute__((constructor)) static void install_guard(void) {
  struct Filter f = {.size = 0};
  add(&f, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)));
  add(&f, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0));
  add(&f, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS));
  load_nr(&f);
  /* x32 system calls reach the same kernel code under other numbers. */
  add(&f, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000u, 0, 1));
  add(&f, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS));

  const unsigned kill = SECCOMP_RET_KILL_PROCESS;
  static const int kForbidden[] = {SYS_execve, SYS_execveat, SYS_fork, SYS_vfork,
                                   SYS_socket, SYS_socketpair, SYS_connect};
  for (size_t i = 0; i < sizeof kForbidden / sizeof kForbidden[0]; ++i) on_call(&f, kForbidden[i], kill);
  on_call(&f, SYS_clone3, SECCOMP_RET_ERRNO | ENOSYS);
  /* clone(flags, ...): a task sharing the memory (a thread; LeakSanitizer's
   * tracer in a sanitized build) is allowed; a copy of the process (fork) or
   * one about to exec (posix_spawn's CLONE_VFORK) is not. */
  add(&f, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_clone, 0, 5));
  add(&f, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0])));
  add(&f, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, CLONE_VFORK, 1, 0));
  add(&f, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, CLONE_VM, 1, 0));
  add(&f, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, kill));
  add(&f, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));

  const char* writes = getenv("E2E_GUARD_WRITES");
  if (writes != NULL && strcmp(writes, "kill") == 0) {
    guard_writes(&f, kill);
  } else if (writes != NULL && strcmp(writes, "erofs") == 0) {
    guard_writes(&f, SECCOMP_RET_ERRNO | EROFS);
  } else if (writes != NULL && writes[0] != '\0') {
    fprintf(stderr, "no_side_effects_guard: E2E_GUARD_WRITES=%s: expected kill or erofs\n", writes);
    _exit(125);
  }
  add(&f, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));

  struct sock_fprog program = {.len = f.size, .filter = f.code};
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
      prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &program, 0, 0) != 0) {
    fprintf(stderr, "no_side_effects_guard: cannot install the seccomp filter: %s\n", strerror(errno));
    _exit(125);
  }
}
