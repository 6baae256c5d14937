/*
 * Two glibc functions the static libstdc++ and libgcc of the build machine (GCC 12 on glibc 2.36) call, but that
 * Lambda's Amazon Linux 2023 (glibc 2.34) does not have. Linked into the isolated-vm addon with hidden visibility,
 * they satisfy those references inside the addon itself, so it needs nothing of glibc above 2.34:
 *
 * - arc4random (GLIBC_2.36), from std::random_device: the same bytes from getrandom (GLIBC_2.25);
 * - _dl_find_object (GLIBC_2.35), from the unwinder that finds a C++ exception's frame tables: the loaded object
 *   holding the address and its PT_GNU_EH_FRAME segment, from dl_iterate_phdr, as the unwinder did before 2.35.
 *
 * infra/scripts/build-isolated-vm.ts compiles this and passes it to the link (LDFLAGS).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <link.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/random.h>

#define HIDDEN __attribute__((visibility("hidden")))

HIDDEN uint32_t arc4random(void) {
  uint32_t value;
  /* getrandom never returns short for 4 bytes once the pool is initialised; it may be interrupted (EINTR). */
  while (getrandom(&value, sizeof value, 0) != (ssize_t)sizeof value) {
  }
  return value;
}

struct find_state {
  uintptr_t address;
  struct dl_find_object *result;
  int found;
};

static int find_object(struct dl_phdr_info *info, size_t size, void *data) {
  (void)size;
  struct find_state *state = data;
  uintptr_t low = UINTPTR_MAX, high = 0;
  int contains = 0;
  void *eh_frame = NULL;
  for (ElfW(Half) i = 0; i < info->dlpi_phnum; i++) {
    const ElfW(Phdr) *phdr = &info->dlpi_phdr[i];
    if (phdr->p_type == PT_LOAD) {
      uintptr_t start = info->dlpi_addr + phdr->p_vaddr, end = start + phdr->p_memsz;
      if (start < low) low = start;
      if (end > high) high = end;
      if (state->address >= start && state->address < end) contains = 1;
    } else if (phdr->p_type == PT_GNU_EH_FRAME) {
      eh_frame = (void *)(info->dlpi_addr + phdr->p_vaddr);
    }
  }
  if (!contains) return 0;
  state->result->dlfo_flags = 0;
  state->result->dlfo_map_start = (void *)low;
  state->result->dlfo_map_end = (void *)high;
  state->result->dlfo_link_map = NULL;
  state->result->dlfo_eh_frame = eh_frame;
  state->found = 1;
  return 1;
}

HIDDEN int _dl_find_object(void *address, struct dl_find_object *result) {
  struct find_state state = {(uintptr_t)address, result, 0};
  dl_iterate_phdr(find_object, &state);
  return state.found ? 0 : -1;
}
