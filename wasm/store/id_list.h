// The catalogue's compact movie-id lists: ascending ids as unsigned LEB128 varints of the
// differences (the first from 0). Shared by the neighbours and people tables' writer and reader.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace cinerag {

// Appends `ids` (ascending, no repeats, none negative: the caller checks) to *out.
inline void encode_id_list(const std::vector<int64_t>& ids, std::vector<uint8_t>* out) {
  int64_t previous = 0;
  for (int64_t id : ids) {
    for (uint64_t d = static_cast<uint64_t>(id - previous);; d >>= 7) {
      out->push_back(static_cast<uint8_t>((d & 0x7F) | (d > 0x7F ? 0x80 : 0)));
      if (d <= 0x7F) break;
    }
    previous = id;
  }
}

// Decodes `count` ids from the whole blob (count < 0: as many as it holds) into *out (appended).
// False when a varint runs past the blob or is longer than 9 bytes, bytes are left over, or an
// id leaves int64's range (sums are taken unsigned: damaged bytes must not overflow).
inline bool decode_id_list(const uint8_t* blob, size_t bytes, long long count,
                           std::vector<int64_t>* out) {
  size_t at = 0;
  uint64_t id = 0;
  for (long long i = 0; count < 0 ? at < bytes : i < count; ++i) {
    uint64_t delta = 0;
    int shift = 0;
    for (;;) {
      if (at >= bytes || shift > 56) return false;
      const uint8_t b = blob[at++];
      delta |= uint64_t{b & 0x7Fu} << shift;
      shift += 7;
      if (!(b & 0x80)) break;
    }
    if (delta > static_cast<uint64_t>(INT64_MAX) - id) return false;
    id += delta;
    out->push_back(static_cast<int64_t>(id));
  }
  return at == bytes;
}

}  // namespace cinerag
