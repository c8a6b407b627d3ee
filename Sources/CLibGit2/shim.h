#ifndef REVERIE_CLIBGIT2_SHIM_H
#define REVERIE_CLIBGIT2_SHIM_H

#include <git2.h>
#include <git2/sys/mempack.h>
#include <git2/sys/odb_backend.h>

// git_libgit2_opts is variadic, and Swift does not import variadic C functions:
// these wrappers expose the few options Reverie sets.

/// Makes libgit2 fsync objects, refs and the index, so a crash never leaves empty files.
static inline int reverie_git_enable_fsync(int enabled) {
    return git_libgit2_opts(GIT_OPT_ENABLE_FSYNC_GITDIR, enabled);
}

/// Lets libgit2 keep objects up to `size` bytes of `type` in its in-memory cache.
static inline int reverie_git_cache_object_limit(git_object_t type, size_t size) {
    return git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, type, size);
}

#endif
