#pragma once
// Room kept on the handheld's storage for draining the outbox when it is
// full. Deleting acked records in WAL mode writes WAL frames, and opening
// the outbox maps its WAL index: both need free blocks, so on a full disk
// the records the gateway has stored could never leave and would come back
// as duplicates. The agent keeps a preallocated file beside the outbox and
// deletes it when SQLite finds the disk full, which frees exactly the room
// it held; it is made again before the next capture, and a capture without
// it is refused, so the room is never spent on new records.
//
// A reserve table inside the database would not help: in WAL mode a
// change is written to the WAL file, outside the database, whatever free
// pages the database holds.

#include <cstdint>
#include <filesystem>

namespace fieldflow::agent {

class SpaceReserve {
  public:
    // 2 MiB: the WAL frames of deleting the largest batch a gateway acks
    // (2,000 records) and the outbox's WAL index, several times over.
    static constexpr std::uintmax_t default_bytes = 2u << 20;

    explicit SpaceReserve(std::filesystem::path file, std::uintmax_t bytes = default_bytes);

    bool held() const;
    // Makes the reserve if it is missing; false when the disk has no room
    // for it (nothing is left behind then).
    bool ensure();
    // Deletes the reserve; true when there was one to free.
    bool release();

  private:
    std::filesystem::path file_;
    std::uintmax_t bytes_;
};

}  // namespace fieldflow::agent
