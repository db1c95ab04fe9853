// Putting a written file in place so that a crash or `kill -9` at any moment leaves either the old
// file or the whole new one at its name, never a torn one: the bytes go to a temporary name in the
// same directory (so the rename stays within one file system), are flushed to the disk, and are
// renamed over the target; the directory is flushed last so that the rename itself is kept.
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <string>

namespace cinerag {

// The temporary name a writer fills before commit_file(path): never looks like the finished file.
inline std::string temp_path(const std::string& path) {
  return path + ".tmp";
}

// Flushes temp_path(path), renames it to `path` and flushes the directory. False (errno set) when
// the flush or the rename fails; the temporary file is removed then.
inline bool commit_file(const std::string& path) {
  const std::string tmp = temp_path(path);
  const int fd = ::open(tmp.c_str(), O_RDONLY);
  const bool flushed = fd >= 0 && ::fsync(fd) == 0;
  if (fd >= 0) ::close(fd);
  if (!flushed || std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    return false;
  }
  const size_t slash = path.find_last_of('/');
  const std::string dir = slash == std::string::npos ? "." : path.substr(0, slash + 1);
  if (const int d = ::open(dir.c_str(), O_RDONLY); d >= 0) {  // best effort: renamed already
    ::fsync(d);
    ::close(d);
  }
  return true;
}

}  // namespace cinerag
